package dev.exportdesk.cdc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;

/**
 * Which transactions a read saw: PostgreSQL's {@code pg_current_snapshot()} ({@code xmin:xmax:xip,…},
 * 64-bit transaction ids), taken in the read's own transaction. A committed transaction is visible
 * to the read when it is below {@code xmin}, or below {@code xmax} and not in progress ({@code xip})
 * when the snapshot was taken.
 *
 * <p>This is what lets a table copy be resumed after a crash without an exported snapshot: each piece
 * of the copy records the snapshot it was read under, and a change from the log whose transaction that
 * snapshot already saw is in the copy already ({@link CopySnapshots}).
 */
public record XidSnapshot(long xmin, long xmax, long[] inProgress) {
    private static final long EPOCH = 1L << 32;
    /** Bounds the text a server (an untrusted peer) can make us parse: a million characters is far above any real snapshot. */
    static final int MAX_TEXT = 1_000_000;
    /** Beyond this many transaction ids between two snapshots' xmax, {@link #seesAllOf} does not look one by one. */
    private static final long MAX_RANGE = 1_000_000;

    public XidSnapshot {
        if (xmin < 0 || xmax < xmin) {
            throw new IllegalArgumentException("a snapshot needs 0 <= xmin <= xmax, not " + xmin + ":" + xmax);
        }
        inProgress = inProgress.clone();
        Arrays.sort(inProgress);
        for (long xid : inProgress) {
            if (xid < xmin || xid >= xmax) {
                throw new IllegalArgumentException("in-progress transaction " + xid + " lies outside " + xmin + ":"
                        + xmax);
            }
        }
    }

    /** Parses {@code pg_snapshot} text, as {@link #text()} writes it. */
    public static XidSnapshot parse(String text) {
        if (text == null || text.length() > MAX_TEXT) {
            throw new IllegalArgumentException("not a snapshot: " + (text == null ? "null" : "too long"));
        }
        String[] parts = text.split(":", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("not a snapshot (xmin:xmax:xip,…): " + abbreviate(text));
        }
        try {
            long[] xip = parts[2].isEmpty() ? new long[0]
                    : Arrays.stream(parts[2].split(",", -1)).mapToLong(Long::parseUnsignedLong).toArray();
            return new XidSnapshot(Long.parseUnsignedLong(parts[0]), Long.parseUnsignedLong(parts[1]), xip);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a snapshot (xmin:xmax:xip,…): " + abbreviate(text), e);
        }
    }

    /**
     * The snapshot of the transaction open on {@code c}: call it as the transaction's first statement
     * under REPEATABLE READ, and every later read in that transaction sees exactly what it describes.
     */
    public static XidSnapshot current(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_current_snapshot()::text")) {
            rs.next();
            return parse(rs.getString(1));
        }
    }

    public String text() {
        StringBuilder sb = new StringBuilder().append(xmin).append(':').append(xmax).append(':');
        for (int i = 0; i < inProgress.length; i++) {
            sb.append(i == 0 ? "" : ",").append(inProgress[i]);
        }
        return sb.toString();
    }

    /** Whether a read under this snapshot saw committed transaction {@code xid} (64-bit). */
    public boolean saw(long xid) {
        return xid < xmin || (xid < xmax && Arrays.binarySearch(inProgress, xid) < 0);
    }

    /**
     * Whether a read under this snapshot sees every transaction {@code earlier} saw — as any later
     * snapshot does, except where a transaction is committed in the log but not yet visible to other
     * sessions (a commit waiting for a synchronous standby): a snapshot the server exported with a
     * slot already counts it, one taken with {@code pg_current_snapshot()} does not yet.
     */
    public boolean seesAllOf(XidSnapshot earlier) {
        for (long xid : inProgress) {
            if (earlier.saw(xid)) {
                return false;
            }
        }
        if (earlier.xmax - xmax > MAX_RANGE) {
            return false; // not a later snapshot at all
        }
        for (long xid = xmax; xid < earlier.xmax; xid++) {
            if (earlier.saw(xid)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a read under this snapshot saw the committed transaction whose 32-bit id the log
     * gives ({@code Begin.xid}): the id is placed in the epoch that puts it nearest this snapshot's
     * {@code xmax}, as PostgreSQL does for ids it knows to be recent (the log's transactions and this
     * snapshot are minutes apart, never two billion transactions).
     */
    public boolean sawLogged(long xid32) {
        return saw(widen(xid32 & 0xFFFF_FFFFL, xmax));
    }

    static long widen(long xid32, long near) {
        long candidate = (near & ~(EPOCH - 1)) | xid32;
        if (candidate - near > EPOCH / 2) {
            candidate -= EPOCH;
        } else if (near - candidate > EPOCH / 2) {
            candidate += EPOCH;
        }
        return candidate < 0 ? candidate + EPOCH : candidate; // there is no epoch before the first
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof XidSnapshot s && s.xmin == xmin && s.xmax == xmax && Arrays.equals(s.inProgress, inProgress);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(xmin) * 31 + Long.hashCode(xmax) * 17 + Arrays.hashCode(inProgress);
    }

    @Override
    public String toString() {
        return text();
    }

    private static String abbreviate(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "…" : text;
    }
}
