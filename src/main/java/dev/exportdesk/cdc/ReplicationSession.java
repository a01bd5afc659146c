package dev.exportdesk.cdc;

import dev.exportdesk.source.ColumnInfo;
import dev.exportdesk.source.OutputText;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.core.BaseConnection;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;
import org.postgresql.replication.ReplicationSlotInfo;

/**
 * One replication connection ({@code replication=database}) to the source: creates a logical slot
 * with an exported snapshot, then streams from it. The exported snapshot is valid only while this
 * connection stays open and runs nothing else, so the session tracks that: {@link #createSlot}
 * returns an {@link ExportedSnapshot} that refuses to be imported once the session has moved on.
 *
 * <p>The session's output settings are fixed before anything is decoded (UTC, ISO dates, hex bytea,
 * exact floats), so the text the walsender prints is the text the scans read.
 */
public final class ReplicationSession implements AutoCloseable {
    private static final List<String> OUTPUT_SETTINGS = List.of("SET TimeZone = 'UTC'", "SET DateStyle = 'ISO, MDY'",
            "SET bytea_output = 'hex'", "SET extra_float_digits = 3");
    /** Bounds a read the server leaves half-sent, and slot creation waiting for older transactions to end. */
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(120);

    private final Connection connection;
    private final PGConnection pg;
    private ExportedSnapshot held;
    private boolean streaming;

    private ReplicationSession(Connection connection) throws SQLException {
        this.connection = connection;
        this.pg = connection.unwrap(PGConnection.class);
    }

    /**
     * Opens a replication session to the database of {@code jdbcUrl} (which the caller has passed
     * through the source's URL policy) with {@code credentials} ({@code user}, {@code password}).
     */
    public static ReplicationSession open(String jdbcUrl, Properties credentials) {
        Properties props = new Properties();
        props.putAll(credentials);
        props.setProperty("replication", "database");
        props.setProperty("preferQueryMode", "simple");
        props.setProperty("assumeMinServerVersion", "10");
        props.setProperty("socketTimeout", Long.toString(SOCKET_TIMEOUT.toSeconds()));
        props.setProperty("connectTimeout", "30");
        props.setProperty("ApplicationName", "exportdesk-cdc");
        Connection c = null;
        try {
            c = DriverManager.getConnection(jdbcUrl, props);
            try (Statement st = c.createStatement()) {
                for (String sql : OUTPUT_SETTINGS) {
                    st.execute(sql);
                }
            }
            return new ReplicationSession(c);
        } catch (SQLException e) {
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new CaptureException("cannot open a replication connection to the source (does the role have "
                    + "REPLICATION, and does pg_hba.conf allow it?): " + e.getMessage(), e);
        }
    }

    /**
     * Creates logical slot {@code slot} (pgoutput) and returns its exported snapshot. The snapshot
     * lasts until this session is next used; copy the table under it first, then {@link #stream}.
     * Exporting it matters even to a copy that reads under snapshots of its own: the server then
     * returns only once every transaction committed before the slot's start is visible to other
     * sessions (a slot created with NOEXPORT_SNAPSHOT returns at once, and a copy begun then can
     * miss a transaction the slot will never give: cdc.CopyAtSlotStartTest).
     */
    public ExportedSnapshot createSlot(String slot) {
        SlotName.check("slot", slot);
        moveOn();
        try {
            ReplicationSlotInfo info = pg.getReplicationAPI().createReplicationSlot().logical()
                    .withSlotName(slot).withOutputPlugin("pgoutput").make();
            held = new ExportedSnapshot(this, slot, info.getConsistentPoint(), info.getSnapshotName());
            return held;
        } catch (SQLException e) {
            throw new CaptureException("cannot create replication slot \"" + slot + "\": " + e.getMessage(), e);
        }
    }

    boolean holds(ExportedSnapshot snapshot) {
        return held == snapshot && !streaming && isOpen();
    }

    private boolean isOpen() {
        try {
            return !connection.isClosed();
        } catch (SQLException e) {
            return false;
        }
    }

    private void moveOn() {
        held = null;
        if (streaming) {
            throw new IllegalStateException("this replication session is streaming; open another one");
        }
    }

    /**
     * Starts streaming {@code slot} from {@code from} (a slot's consistent point, or the last
     * confirmed position) with pgoutput protocol version 1 and {@code publication}; the session is
     * the stream's until it is closed. A slot that is missing or lost is a
     * {@link ResyncRequiredException}.
     */
    public LogicalStream stream(String slot, String publication, LogSequenceNumber from, LogicalTable table,
                                LogicalStream.Limits limits) {
        SlotName.check("slot", slot);
        SlotName.check("publication", publication);
        moveOn();
        try {
            PGReplicationStream stream = pg.getReplicationAPI().replicationStream().logical()
                    .withSlotName(slot)
                    .withStartPosition(from)
                    .withSlotOption("proto_version", "1")
                    .withSlotOption("publication_names", publication)
                    .withStatusInterval(10, TimeUnit.SECONDS)
                    // pgjdbc would otherwise move the flushed position to the server's keepalive position
                    // on its own once everything read was confirmed; only confirm() and heartbeat() may
                    .withAutomaticFlush(false)
                    .start();
            streaming = true;
            List<ColumnInfo> columns = table.columns();
            OutputText text = new OutputText(columns, connection.unwrap(BaseConnection.class).getTimestampUtils());
            return new LogicalStream(stream, new PgOutputDecoder(table, text), from, limits, () -> streaming = false);
        } catch (SQLException e) {
            if ("42704".equals(e.getSQLState())) {
                throw new ResyncRequiredException(slot, ResyncRequiredException.Reason.MISSING, "replication slot \"" + slot + "\" does not exist (it was "
                        + "dropped behind our back): re-sync required — the changes since the last delivery are gone; "
                        + "`exportdesk resync` the contract to send its table again");
            }
            if ("55000".equals(e.getSQLState()) && String.valueOf(e.getMessage()).contains("invalidated")) {
                throw new ResyncRequiredException(slot, ResyncRequiredException.Reason.LOST, "replication slot \"" + slot + "\" was invalidated (the "
                        + "server removed WAL it still needed, see max_slot_wal_keep_size): re-sync required; `exportdesk "
                        + "resync` the contract to send its table again");
            }
            throw new CaptureException("cannot stream replication slot \"" + slot + "\": " + e.getMessage(), e);
        }
    }

    /** Drops {@code slot}: it must not be streaming (ours or anyone's). */
    public void dropSlot(String slot) {
        SlotName.check("slot", slot);
        moveOn();
        try {
            pg.getReplicationAPI().dropReplicationSlot(slot);
        } catch (SQLException e) {
            throw new CaptureException("cannot drop replication slot \"" + slot + "\": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        held = null;
        try {
            connection.close();
        } catch (SQLException ignored) {
            // the server ends the walsender with the connection; nothing of ours is pending on it
        }
    }
}
