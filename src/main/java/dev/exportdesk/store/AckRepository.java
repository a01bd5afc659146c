package dev.exportdesk.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Partner receipts as last judged: one {@code run_acks} row per run and, once a receipt was read,
 * one {@code chunk_acks} row per chunk. Each judgement replaces the one before (the audit log keeps
 * the changes).
 */
public final class AckRepository {
    /** A run's receipt: its state, the deadline, when checked, why, which receipt was read, redeliveries so far. */
    public record RunAck(String runId, AckState state, Instant deadline, Instant checkedAt, String detail,
                         String receiptSha256, int redeliveries) {
    }

    /** One chunk's outcome in the receipt. */
    public record ChunkAck(int seq, AckState state, String reason) {
    }

    public Optional<RunAck> run(Connection c, String runId) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT * FROM run_acks WHERE run_id = ?")) {
            Sql.bind(st, runId);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new RunAck(runId, AckState.valueOf(rs.getString("state")), Sql.instant(rs, "deadline_at"),
                        Sql.instant(rs, "checked_at"), rs.getString("detail"), rs.getString("receipt_sha256"),
                        rs.getInt("redeliveries")));
            }
        }
    }

    /** The run's chunk outcomes in chunk order. */
    public List<ChunkAck> chunks(Connection c, String runId) throws SQLException {
        return chunks(c, "SELECT seq, state, reason FROM chunk_acks WHERE run_id = ? ORDER BY run_id, seq", runId);
    }

    /** The outcomes of chunks {@code fromSeq..toSeq}: one page of a run's chunk table, by primary key. */
    public List<ChunkAck> chunks(Connection c, String runId, int fromSeq, int toSeq) throws SQLException {
        return chunks(c, "SELECT seq, state, reason FROM chunk_acks WHERE run_id = ? AND seq BETWEEN ? AND ? "
                + "ORDER BY run_id, seq", runId, fromSeq, toSeq);
    }

    private static List<ChunkAck> chunks(Connection c, String sql, Object... params) throws SQLException {
        List<ChunkAck> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(sql)) {
            Sql.bind(st, params);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new ChunkAck(rs.getInt(1), AckState.valueOf(rs.getString(2)), rs.getString(3)));
                }
            }
        }
        return out;
    }

    /**
     * Replaces the run's judgement; its chunk outcomes too when {@code chunks} is not empty (a judgement
     * that read no receipt keeps the outcomes of the last one that did).
     */
    public void record(Connection c, RunAck ack, Collection<ChunkAck> chunks) throws SQLException {
        delete(c, "DELETE FROM run_acks WHERE run_id = ?", ack.runId());
        try (PreparedStatement st = c.prepareStatement("INSERT INTO run_acks(run_id, state, deadline_at, checked_at, "
                + "detail, receipt_sha256, redeliveries) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            Sql.bind(st, ack.runId(), ack.state().name(), ack.deadline(), ack.checkedAt(), Sql.truncate(ack.detail(), 4000),
                    ack.receiptSha256(), ack.redeliveries());
            st.executeUpdate();
        }
        if (chunks.isEmpty()) {
            return;
        }
        delete(c, "DELETE FROM chunk_acks WHERE run_id = ?", ack.runId());
        try (PreparedStatement st = c.prepareStatement("INSERT INTO chunk_acks(run_id, seq, state, reason, updated_at) "
                + "VALUES (?, ?, ?, ?, ?)")) {
            for (ChunkAck a : chunks) {
                Sql.bind(st, ack.runId(), a.seq(), a.state().name(), a.reason(), ack.checkedAt());
                st.executeUpdate();
            }
        }
    }

    private static void delete(Connection c, String sql, String runId) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            Sql.bind(st, runId);
            st.executeUpdate();
        }
    }
}
