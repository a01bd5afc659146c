package dev.exportdesk.cdc;

import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/**
 * Tells, for a change from the log, whether the table copy already holds it — the hand-off from a
 * copy that was read in pieces under different snapshots (a copy resumed after a crash reads on
 * under a new one) to the stream from the slot's consistent point.
 *
 * <p>The copy is a keyset scan in key order, in pieces; piece <i>i</i> covers the keys after piece
 * <i>i−1</i>'s last key up to its own last key, and was read under snapshot <i>Sᵢ</i>; the keys
 * after the last piece were read (and found absent) under {@code tail}, the snapshot of the attempt
 * that finished the copy. A change to key <i>k</i> by transaction <i>T</i> is in the copy exactly
 * when the snapshot that read <i>k</i>'s range saw <i>T</i>; such a change is skipped, every other
 * one is shipped. Per row this is exact: two transactions that change the same row are ordered by
 * the row's lock, and the later one commits — and becomes visible — only after the earlier one, so
 * a snapshot that saw a change to a row saw every earlier change to it, and the log gives the rest
 * in commit order. An update that moves a row to another key is decided per key: the delete of
 * the old key by the old key's piece, the new key by its own.
 */
public final class CopySnapshots {
    /** One piece of the copy: the last key it holds (in the scan's order) and the snapshot it was read under. */
    public record Piece(Object[] lastKey, XidSnapshot snapshot) {
    }

    private final Supplier<List<Piece>> source;
    private final XidSnapshot tail;
    private final Comparator<Object[]> order;
    private final long minXmin;
    private final long maxXmax;
    private List<Piece> pieces;

    /**
     * {@code pieces} in key order; {@code order} compares keys as the source's scan ordered them
     * (consulted only for a transaction some pieces saw and others did not).
     */
    public CopySnapshots(List<Piece> pieces, XidSnapshot tail, Comparator<Object[]> order) {
        this(pieces.stream().map(Piece::snapshot).distinct().toList(), tail, order, () -> pieces);
    }

    /**
     * As above, with the pieces read only when a transaction some snapshots saw and others did not
     * asks for them: a stream past the copy never holds the copy's chunk list in memory.
     * {@code snapshots}: every snapshot a piece was read under.
     */
    public CopySnapshots(List<XidSnapshot> snapshots, XidSnapshot tail, Comparator<Object[]> order,
                         Supplier<List<Piece>> pieces) {
        this.source = pieces;
        this.tail = tail;
        this.order = order;
        long lo = tail.xmin();
        long hi = tail.xmax();
        for (XidSnapshot s : snapshots) {
            lo = Math.min(lo, s.xmin());
            hi = Math.max(hi, s.xmax());
        }
        this.minXmin = lo;
        this.maxXmax = hi;
    }

    /**
     * Whether the change of key {@code key} by the transaction with 32-bit id {@code xid32} (as the
     * log gives it) is in the copy already.
     */
    public boolean copied(long xid32, Object[] key) {
        long xid = XidSnapshot.widen(xid32 & 0xFFFF_FFFFL, tail.xmax());
        if (xid >= maxXmax) {
            return false; // began after every piece was read: the stream's alone
        }
        if (xid < minXmin) {
            return true; // ended before any piece was read
        }
        return snapshotFor(key).saw(xid);
    }

    /** The snapshot that read {@code key}'s part of the key space. */
    XidSnapshot snapshotFor(Object[] key) {
        if (pieces == null) {
            pieces = List.copyOf(source.get());
        }
        int lo = 0;
        int hi = pieces.size();
        while (lo < hi) { // the first piece whose last key is at or after key
            int mid = (lo + hi) >>> 1;
            if (order.compare(pieces.get(mid).lastKey(), key) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo < pieces.size() ? pieces.get(lo).snapshot() : tail;
    }
}
