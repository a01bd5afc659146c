package dev.exportdesk.engine.runs;

import dev.exportdesk.contract.Contract;
import dev.exportdesk.source.CursorCodec;
import dev.exportdesk.source.ScanRange;
import dev.exportdesk.store.ChunkRecord;
import dev.exportdesk.store.RunMode;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.ScanPhase;
import dev.exportdesk.store.SegmentRow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which part of the source each sealed chunk of a cursor run was captured from. Within one scan
 * (or one key range of a split run) the chunks are contiguous in keyset order, so a chunk's range
 * starts after the previous chunk's last tuple; the forward scan's first chunk starts after the run's starting checkpoint (the table's
 * start for a first or full run); a lookback scan starts at a cursor value, inclusive. A correction
 * run's chunks are keys, not ranges, and a stream run's chunks are changes from the log: neither has
 * a range. Deep verification reads the gaps before chunks from here, and a resumed attempt re-reads
 * a chunk whose staged copy is lost ({@link #scansOf}).
 */
public final class ChunkRanges {
    /** Where a chunk's range starts: strictly after {@code after} (null: the table's start), or from {@code leadingFrom}. */
    public record Start(Object[] after, Object leadingFrom) {
    }

    /** One scan that fed a chunk, in the phase its rows were read in. */
    record Scan(ScanPhase phase, ScanRange range) {
    }

    private ChunkRanges() {
    }

    /**
     * By chunk sequence: where its range starts; absent: the chunk has no range (or it is not known).
     * A split run's chunks ({@code segments}: its key ranges, empty for a run captured whole) follow
     * each other within their own range only: the first starts after the range's lower bound.
     */
    public static Map<Integer, Start> starts(RunRecord run, List<ChunkRecord> chunks, List<SegmentRow> segments) {
        Map<Integer, Start> out = new HashMap<>();
        if (run.mode() == RunMode.CORRECTION) {
            return out;
        }
        Map<Integer, SegmentRow> ranges = new HashMap<>();
        segments.forEach(s -> ranges.put(s.segment(), s));
        Map<Integer, ChunkRecord> lastInRange = new HashMap<>();
        ChunkRecord prev = null;
        for (ChunkRecord ch : chunks) {
            if (ch.scanPhase() == ScanPhase.STREAM) {
                continue;
            }
            if (ch.segment() > 0) {
                SegmentRow range = ranges.get(ch.segment());
                ChunkRecord before = lastInRange.put(ch.segment(), ch);
                if (before != null) {
                    out.put(ch.seq(), new Start(CursorCodec.decode(before.cursorTo()), null));
                } else if (range != null) {
                    out.put(ch.seq(), new Start(range.afterTuple() == null ? null : CursorCodec.decode(range.afterTuple()),
                            null));
                }
                continue;
            }
            if (prev != null && prev.scanPhase() != null && prev.scanPhase().equals(ch.scanPhase())) {
                out.put(ch.seq(), new Start(CursorCodec.decode(prev.cursorTo()), null));
            } else if (ch.scanPhase() == ScanPhase.FORWARD) {
                out.put(ch.seq(), new Start(run.cursorFrom() == null ? null : CursorCodec.decode(run.cursorFrom()), null));
            } else if (ch.scanPhase() == ScanPhase.LOOKBACK && run.lookbackFrom() != null) {
                out.put(ch.seq(), new Start(null, CursorCodec.decodeValue(run.lookbackFrom())));
            }
            prev = ch;
        }
        return out;
    }

    /**
     * The scans, in order, that filled {@code chunk}, ending at its last tuple; empty when its range
     * cannot be known. The first forward chunk of a run with a lookback may have begun in the
     * lookback (an open chunk goes on from one scan to the next), so it is read from where the
     * lookback left off, then forward. A key range's chunk is read as its range was: forward, up to
     * the run's upper cursor bound.
     */
    static Optional<List<Scan>> scansOf(Contract contract, RunRecord run, List<ChunkRecord> chunks,
                                        List<SegmentRow> segments, ChunkRecord chunk) {
        Start start = starts(run, chunks, segments).get(chunk.seq());
        if (start == null || chunk.cursorTo() == null) {
            return Optional.empty();
        }
        if (chunk.segment() > 0) {
            ScanRange forward = CaptureRanges.of(contract, run).forward();
            return forward == null ? Optional.empty() : Optional.of(List.of(new Scan(ScanPhase.FORWARD,
                    new ScanRange(start.after(), null, CursorCodec.decode(chunk.cursorTo()), forward.leadingTo()))));
        }
        ChunkRecord prev = null;
        for (ChunkRecord ch : chunks) {
            if (ch.seq() == chunk.seq()) {
                break;
            }
            prev = ch;
        }
        Object[] upTo = CursorCodec.decode(chunk.cursorTo());
        CaptureRanges ranges = CaptureRanges.of(contract, run);
        List<Scan> scans = new ArrayList<>();
        if (chunk.scanPhase() == ScanPhase.LOOKBACK) {
            if (ranges.lookback() == null) {
                return Optional.empty();
            }
            scans.add(new Scan(ScanPhase.LOOKBACK, new ScanRange(start.after(), start.leadingFrom(), upTo, null)));
            return Optional.of(scans);
        }
        ScanRange forward = ranges.forward();
        if (forward == null) {
            return Optional.empty();
        }
        boolean firstForward = prev == null || prev.scanPhase() != ScanPhase.FORWARD;
        if (firstForward && ranges.lookback() != null) {
            ScanRange rest = prev == null ? ranges.lookback() : ranges.lookback().withAfter(CursorCodec.decode(prev.cursorTo()));
            scans.add(new Scan(ScanPhase.LOOKBACK, rest));
        }
        scans.add(new Scan(ScanPhase.FORWARD, new ScanRange(start.after(), null, upTo, forward.leadingTo())));
        return Optional.of(scans);
    }
}
