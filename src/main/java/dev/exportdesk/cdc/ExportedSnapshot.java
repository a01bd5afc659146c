package dev.exportdesk.cdc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;
import org.postgresql.replication.LogSequenceNumber;

/**
 * A new slot and the snapshot the server exported with it: the table read under this snapshot
 * holds exactly the transactions that committed before {@code consistentPoint}, and the slot gives
 * exactly those that commit after — no gap and no overlap. The snapshot lives only while the
 * replication session that created the slot stays open and idle; {@link #importInto} refuses once
 * the session has moved on (streamed, dropped a slot, closed).
 */
public final class ExportedSnapshot {
    /** What PostgreSQL's snapshot names look like ({@code 00000003-0000001B-1}); anything else is not spliced. */
    private static final Pattern SNAPSHOT = Pattern.compile("[0-9A-F]{8}-[0-9A-F]{8}-[0-9]{1,10}");

    private final ReplicationSession session;
    private final String slot;
    private final LogSequenceNumber consistentPoint;
    private final String name;

    ExportedSnapshot(ReplicationSession session, String slot, LogSequenceNumber consistentPoint, String name) {
        if (name == null || !SNAPSHOT.matcher(name).matches()) {
            throw new CaptureException("the server returned no usable snapshot name for slot \"" + slot + "\"");
        }
        this.session = session;
        this.slot = slot;
        this.consistentPoint = consistentPoint;
        this.name = name;
    }

    public String slot() {
        return slot;
    }

    /** Where the slot's stream starts: the first transaction the snapshot does not see. */
    public LogSequenceNumber consistentPoint() {
        return consistentPoint;
    }

    /** Whether the snapshot can still be imported (the creating session is open and has done nothing since). */
    public boolean alive() {
        return session.holds(this);
    }

    /**
     * Starts a read-only REPEATABLE READ transaction on {@code reader} that sees exactly this snapshot;
     * the caller reads the table (any number of scans, or one per imported transaction) and ends it
     * with commit or rollback. Each chunk of a copy may import the snapshot again, as long as it
     * is {@link #alive()}.
     */
    public void importInto(Connection reader) {
        if (!alive()) {
            throw new CaptureException("the snapshot exported with slot \"" + slot + "\" has ended: its replication "
                    + "session was used or closed after creating the slot, so a copy can no longer be consistent "
                    + "with the slot; drop the slot and start the copy again");
        }
        try {
            reader.setAutoCommit(false);
            try (Statement st = reader.createStatement()) {
                st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                st.execute("SET TRANSACTION SNAPSHOT '" + name + "'");
            }
        } catch (SQLException e) {
            try {
                reader.rollback();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new CaptureException("cannot import the snapshot exported with slot \"" + slot + "\": "
                    + e.getMessage(), e);
        }
    }
}
