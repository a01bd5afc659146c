package dev.exportdesk.engine.verification;

import dev.exportdesk.engine.runs.ChunkRanges;
import dev.exportdesk.store.ChunkRecord;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.SegmentRow;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the key/cursor gap before each chunk of a run starts, for deep verification to re-read
 * (verify.GapScan), from where each chunk's range starts ({@link ChunkRanges}). A lookback scan
 * starts at a cursor value, not a tuple, and a correction run's chunks are keys, not ranges:
 * neither has a gap before its first chunk to check. A stream run's chunks are changes from the
 * log, between commit positions: there is no key range, so no gap.
 */
final class ChunkGaps {
    private ChunkGaps() {
    }

    /** By chunk sequence: the exclusive start of its gap (null value: the table's start); absent: no check. */
    static Map<Integer, Object[]> starts(RunRecord run, List<ChunkRecord> chunks, List<SegmentRow> segments) {
        Map<Integer, Object[]> out = new HashMap<>();
        ChunkRanges.starts(run, chunks, segments).forEach((seq, start) -> {
            if (start.leadingFrom() == null) {
                out.put(seq, start.after());
            }
        });
        return out;
    }
}
