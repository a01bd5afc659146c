package dev.exportdesk.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Every delivery attempt of every file of a run (table {@code transfer_attempts}), numbered per file. */
public final class TransferAttemptRepository {

    /** Appends {@code a}, numbered after the file's earlier attempts (its own {@code attempt} is ignored). */
    public void add(Connection c, TransferAttempt a) throws SQLException {
        int attempt;
        try (PreparedStatement st = c.prepareStatement(
                "SELECT COUNT(*) FROM transfer_attempts WHERE run_id = ? AND chunk_seq = ? AND file_name = ?")) {
            Sql.bind(st, a.runId(), a.chunkSeq(), a.fileName());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                attempt = rs.getInt(1) + 1;
            }
        }
        try (PreparedStatement st = c.prepareStatement("INSERT INTO transfer_attempts(run_id, chunk_seq, file_name, "
                + "attempt, started_at, duration_ms, resumed_from, bytes_sent, outcome, error) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            Sql.bind(st, a.runId(), a.chunkSeq(), a.fileName(), attempt, a.startedAt(), a.durationMillis(),
                    a.resumedFrom(), a.bytesSent(), a.outcome(), Sql.truncate(a.error(), 4000));
            st.executeUpdate();
        }
    }

    /** A run's attempts, chunk by chunk, with the run's own files (sequence 0) last. */
    public List<TransferAttempt> forRun(Connection c, String runId) throws SQLException {
        List<TransferAttempt> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT * FROM transfer_attempts WHERE run_id = ? "
                + "ORDER BY CASE WHEN chunk_seq = 0 THEN 1 ELSE 0 END, chunk_seq, id")) {
            Sql.bind(st, runId);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new TransferAttempt(rs.getString("run_id"), rs.getInt("chunk_seq"),
                            rs.getString("file_name"), rs.getInt("attempt"), Sql.instant(rs, "started_at"),
                            rs.getLong("duration_ms"), rs.getLong("resumed_from"), rs.getLong("bytes_sent"),
                            rs.getString("outcome"), rs.getString("error")));
                }
            }
        }
        return out;
    }
}
