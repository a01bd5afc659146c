package dev.exportdesk.engine.delivery;

import dev.exportdesk.engine.EngineContext;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Reads and appends the per-chunk transfer attempts (table transfer_attempts). */
public final class TransferLog {
    private final EngineContext ctx;

    public TransferLog(EngineContext ctx) {
        this.ctx = ctx;
    }

    void record(TransferAttempt a) {
        ctx.store().update(c -> {
            int attempt;
            try (PreparedStatement st = c.prepareStatement(
                    "SELECT COUNT(*) FROM transfer_attempts WHERE run_id = ? AND chunk_seq = ? AND file_name = ?")) {
                st.setString(1, a.runId());
                st.setInt(2, a.chunkSeq());
                st.setString(3, a.fileName());
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    attempt = rs.getInt(1) + 1;
                }
            }
            try (PreparedStatement st = c.prepareStatement("INSERT INTO transfer_attempts(run_id, chunk_seq, "
                    + "file_name, attempt, started_at, duration_ms, resumed_from, bytes_sent, outcome, error) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                st.setString(1, a.runId());
                st.setInt(2, a.chunkSeq());
                st.setString(3, a.fileName());
                st.setInt(4, attempt);
                st.setObject(5, a.startedAt().atOffset(ZoneOffset.UTC));
                st.setLong(6, a.durationMillis());
                st.setLong(7, a.resumedFrom());
                st.setLong(8, a.bytesSent());
                st.setString(9, a.outcome());
                String err = a.error();
                st.setString(10, err == null || err.length() <= 4000 ? err : err.substring(0, 3999) + "…");
                st.executeUpdate();
            }
        });
    }

    public List<TransferAttempt> forRun(String runId) {
        return ctx.store().inTransaction(c -> {
            List<TransferAttempt> out = new ArrayList<>();
            try (PreparedStatement st = c.prepareStatement("SELECT * FROM transfer_attempts WHERE run_id = ? "
                    + "ORDER BY CASE WHEN chunk_seq = 0 THEN 1 ELSE 0 END, chunk_seq, id")) {
                st.setString(1, runId);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        out.add(new TransferAttempt(rs.getString("run_id"), rs.getInt("chunk_seq"),
                                rs.getString("file_name"), rs.getInt("attempt"),
                                rs.getObject("started_at", OffsetDateTime.class).toInstant(), rs.getLong("duration_ms"),
                                rs.getLong("resumed_from"), rs.getLong("bytes_sent"), rs.getString("outcome"),
                                rs.getString("error")));
                    }
                }
            }
            return out;
        });
    }
}
