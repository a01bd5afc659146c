package dev.exportdesk.engine.verification;

import dev.exportdesk.engine.runs.CursorCapture;
import dev.exportdesk.engine.runs.LogicalCapture;
import dev.exportdesk.engine.runs.RunPlanner;
import dev.exportdesk.source.CursorCodec;
import dev.exportdesk.store.ChunkRecord;
import dev.exportdesk.store.RunRecord;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the key/cursor gap before each chunk of a run starts, for deep verification to re-read
 * (verify.GapScan). Within one scan the chunks are contiguous in keyset order, so the gap before a
 * chunk runs from the previous chunk's last tuple; the forward scan's first chunk starts after the
 * run's starting checkpoint (the table's start for a first or full run). A lookback scan starts at
 * a cursor value, not a tuple, and a correction run's chunks are keys, not ranges: neither has a
 * gap before its first chunk to check. A stream run's chunks are changes from the log, between
 * commit positions: there is no key range, so no gap.
 */
final class ChunkGaps {
    private ChunkGaps() {
    }

    /** By chunk sequence: the exclusive start of its gap (null value: the table's start); absent: no check. */
    static Map<Integer, Object[]> starts(RunRecord run, List<ChunkRecord> chunks) {
        Map<Integer, Object[]> out = new HashMap<>();
        if (RunPlanner.CORRECTION.equals(run.mode())) {
            return out;
        }
        ChunkRecord prev = null;
        for (ChunkRecord ch : chunks) {
            if (LogicalCapture.STREAM.equals(ch.scanPhase())) {
                continue;
            }
            if (prev != null && prev.scanPhase() != null && prev.scanPhase().equals(ch.scanPhase())) {
                out.put(ch.seq(), CursorCodec.decode(prev.cursorTo()));
            } else if (CursorCapture.FORWARD.equals(ch.scanPhase())) {
                out.put(ch.seq(), run.cursorFrom() == null ? null : CursorCodec.decode(run.cursorFrom()));
            }
            prev = ch;
        }
        return out;
    }
}
