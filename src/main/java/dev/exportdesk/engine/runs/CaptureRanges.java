package dev.exportdesk.engine.runs;

import dev.exportdesk.contract.Contract;
import dev.exportdesk.source.CursorCodec;
import dev.exportdesk.source.ScanRange;
import dev.exportdesk.store.ChunkRecord;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.ScanPhase;

/**
 * The source ranges a run's capture reads, from the bounds fixed on the run: the lookback re-scan
 * (from the lookback start up to the checkpoint's tuple; null when the run has none) and the
 * forward scan (after the checkpoint up to the upper bound, everything for a full export; null for
 * an empty source). The capture scans them and {@link RunEstimate} counts them, so the two cannot
 * disagree about what a run reads, on a resumed attempt too ({@link #after}).
 */
record CaptureRanges(ScanRange lookback, ScanRange forward) {

    /** Call once the run's bounds are fixed (its upper bound is set when capture starts). */
    static CaptureRanges of(Contract contract, RunRecord run) {
        if (!contract.incremental()) {
            return new CaptureRanges(null, ScanRange.all());
        }
        Object upper = CursorCodec.decodeValue(run.upperBound());
        Object[] checkpoint = run.cursorFrom() == null ? null : CursorCodec.decode(run.cursorFrom());
        ScanRange lookback = run.lookbackFrom() != null && checkpoint != null
                ? new ScanRange(null, CursorCodec.decodeValue(run.lookbackFrom()), checkpoint, null) : null;
        ScanRange forward = upper == null ? null : new ScanRange(checkpoint, null, null, upper);
        return new CaptureRanges(lookback, forward);
    }

    /**
     * What an attempt still reads once earlier attempts sealed chunks up to {@code last} (null:
     * none): the rest of the scan {@code last} was in, then the forward scan if that was the lookback.
     */
    CaptureRanges after(ChunkRecord last) {
        if (last == null) {
            return this;
        }
        Object[] tuple = CursorCodec.decode(last.cursorTo());
        if (lookback != null && last.scanPhase() != ScanPhase.FORWARD) {
            return new CaptureRanges(lookback.withAfter(tuple), forward);
        }
        return new CaptureRanges(null, forward == null ? null : forward.withAfter(tuple));
    }
}
