package dev.exportdesk.engine.runs;

import dev.exportdesk.store.LookbackIndex;
import dev.exportdesk.store.ShippedBlock;
import dev.exportdesk.store.StateStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Answers "was this row, as it is now, already delivered?" for a lookback re-scan, which reads rows
 * in cursor order: blocks of the index are read as the scan reaches their span and dropped once it
 * has passed them, so memory holds the blocks around the current cursor time, not the window
 * (rows sharing one cursor time across many blocks are the exception: all of those are held).
 */
final class LookbackSweep {
    private record Active(LookbackIndex.Span span, ShippedBlock.Lookup lookup) {
    }

    private final StateStore store;
    private final List<LookbackIndex.Span> spans;
    private final List<Active> active = new ArrayList<>();
    private int next;
    private Instant position;

    LookbackSweep(StateStore store, String contract, Instant from) {
        this(store, contract, from, "", 0);
    }

    /** Leaving out what chunk {@code chunkSeq} of run {@code runId} shipped: that chunk is being captured again. */
    LookbackSweep(StateStore store, String contract, Instant from, String runId, int chunkSeq) {
        this.store = store;
        this.spans = store.inTransaction(c -> store.lookbackIndex().spans(c, contract, from, runId, chunkSeq));
    }

    boolean shipped(Instant at, byte[] sha256) {
        if (position != null && at.isBefore(position)) {
            // not in cursor order after all (the scan's order is the source's): start over rather than miss
            active.clear();
            next = 0;
        }
        position = at;
        for (Iterator<Active> it = active.iterator(); it.hasNext(); ) {
            if (it.next().span().lastAt().isBefore(at)) {
                it.remove();
            }
        }
        while (next < spans.size() && !spans.get(next).firstAt().isAfter(at)) {
            LookbackIndex.Span span = spans.get(next++);
            if (!span.lastAt().isBefore(at)) {
                active.add(new Active(span, store.inTransaction(c -> store.lookbackIndex().block(c, span)).lookup()));
            }
        }
        for (Active a : active) {
            if (a.lookup().contains(sha256)) {
                return true;
            }
        }
        return false;
    }
}
