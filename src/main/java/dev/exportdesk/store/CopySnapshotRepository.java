package dev.exportdesk.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The snapshots a logical contract's table copy was read under, per attempt (migration V25). */
public final class CopySnapshotRepository {
    /** Chunks from {@code firstSeq} on (until the next row's) were read under {@code snapshot}. */
    public record Row(int firstSeq, String snapshot) {
    }

    /**
     * Records the snapshot of an attempt that seals from {@code firstSeq} on; an earlier attempt that
     * sealed nothing from there is replaced (what it read was never kept).
     */
    public void record(Connection c, String runId, int firstSeq, String snapshot) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("DELETE FROM copy_snapshots WHERE run_id = ? AND first_seq = ?")) {
            Sql.bind(st, runId, firstSeq);
            st.executeUpdate();
        }
        try (PreparedStatement st = c.prepareStatement("INSERT INTO copy_snapshots(run_id, first_seq, snapshot) "
                + "VALUES (?, ?, ?)")) {
            Sql.bind(st, runId, firstSeq, snapshot);
            st.executeUpdate();
        }
    }

    /**
     * The snapshot the server exported with the slot the copy hands over to (recorded as
     * {@code first_seq} 0: nothing was read under it), which every attempt's own must see all of.
     */
    public void recordSlotExport(Connection c, String runId, String snapshot) throws SQLException {
        record(c, runId, 0, snapshot);
    }

    public Optional<String> slotExport(Connection c, String runId) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT snapshot FROM copy_snapshots WHERE run_id = ? "
                + "AND first_seq = 0")) {
            Sql.bind(st, runId);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** The attempts' snapshots, by first chunk, ascending. */
    public List<Row> forRun(Connection c, String runId) throws SQLException {
        List<Row> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT first_seq, snapshot FROM copy_snapshots WHERE run_id = ? "
                + "AND first_seq > 0 ORDER BY first_seq")) {
            Sql.bind(st, runId);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new Row(rs.getInt(1), rs.getString(2)));
                }
            }
        }
        return out;
    }
}
