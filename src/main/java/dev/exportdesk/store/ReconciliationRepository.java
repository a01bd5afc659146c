package dev.exportdesk.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Verification history: the row digest fixed when a chunk was sealed, every verification pass,
 * each chunk's reconciliation in it, and the exact keys bisection found. Rows are only inserted.
 */
public final class ReconciliationRepository {

    public record Pass(long id, String contractName, String runId, String level, String outcome,
                       String schemaOutcome, int chunksChecked, long rowsShipped, long rowsChanged,
                       long rowsMissing, long rowsExtra, int mismatches, Long deliveryLagMs, Instant startedAt,
                       Instant finishedAt) {
    }

    public record ChunkResult(long verificationId, String runId, int chunkSeq, String fileName,
                              String classification, long shippedRows, Long sourceRows, String shippedDigest,
                              String sourceDigest, long rowsChanged, long rowsMissing, long rowsExtra,
                              String detail) {
    }

    /** One differing key; {@code carriedBy} names the later delivery that already holds it as it is now. */
    public record DriftRow(long verificationId, String runId, int chunkSeq, String rowKey, String kind,
                           String carriedBy) {
        public DriftRow(long verificationId, String runId, int chunkSeq, String rowKey, String kind) {
            this(verificationId, runId, chunkSeq, rowKey, kind, null);
        }
    }

    public void recordRowDigest(Connection c, String runId, int seq, String digest) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE chunks SET row_digest = ? WHERE run_id = ? AND seq = ?")) {
            Sql.bind(st, digest, runId, seq);
            st.executeUpdate();
        }
    }

    public Optional<String> rowDigest(Connection c, String runId, int seq) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT row_digest FROM chunks WHERE run_id = ? AND seq = ?")) {
            Sql.bind(st, runId, seq);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        }
    }

    public long addPass(Connection c, Pass p) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO verification_runs(contract_name, run_id, level, "
                + "outcome, schema_outcome, chunks_checked, rows_shipped, rows_changed, rows_missing, rows_extra, "
                + "mismatches, delivery_lag_ms, started_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            Sql.bind(st, p.contractName(), p.runId(), p.level(), p.outcome(), p.schemaOutcome(), p.chunksChecked(),
                    p.rowsShipped(), p.rowsChanged(), p.rowsMissing(), p.rowsExtra(), p.mismatches(),
                    p.deliveryLagMs(), p.startedAt(), p.finishedAt());
            st.executeUpdate();
            try (ResultSet keys = st.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    public void addChunk(Connection c, ChunkResult r) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO chunk_reconciliations(verification_id, run_id, "
                + "chunk_seq, file_name, classification, shipped_rows, source_rows, shipped_digest, source_digest, "
                + "rows_changed, rows_missing, rows_extra, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            Sql.bind(st, r.verificationId(), r.runId(), r.chunkSeq(), r.fileName(), r.classification(),
                    r.shippedRows(), r.sourceRows(), r.shippedDigest(), r.sourceDigest(), r.rowsChanged(),
                    r.rowsMissing(), r.rowsExtra(), Sql.message(r.detail(), 4000));
            st.executeUpdate();
        }
    }

    public void addDriftRow(Connection c, DriftRow r) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO drift_rows(verification_id, run_id, chunk_seq, "
                + "row_key, kind, carried_by) VALUES (?, ?, ?, ?, ?, ?)")) {
            Sql.bind(st, r.verificationId(), r.runId(), r.chunkSeq(), Sql.truncate(r.rowKey(), 2000), r.kind(),
                    Sql.truncate(r.carriedBy(), 64));
            st.executeUpdate();
        }
    }

    /** Passes of a contract, oldest first, optionally limited to [from, to). */
    public List<Pass> passes(Connection c, String contract, Instant from, Instant to) throws SQLException {
        List<Pass> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT * FROM verification_runs WHERE contract_name = ? "
                + "AND started_at >= ? AND started_at < ? ORDER BY id")) {
            Sql.bind(st, contract, from == null ? Instant.EPOCH : from,
                    to == null ? Instant.parse("9999-01-01T00:00:00Z") : to);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(pass(rs));
                }
            }
        }
        return out;
    }

    public List<Pass> passesForRun(Connection c, String runId) throws SQLException {
        List<Pass> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT * FROM verification_runs WHERE run_id = ? ORDER BY id")) {
            Sql.bind(st, runId);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(pass(rs));
                }
            }
        }
        return out;
    }

    public List<ChunkResult> chunks(Connection c, long verificationId) throws SQLException {
        List<ChunkResult> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(
                "SELECT * FROM chunk_reconciliations WHERE verification_id = ? ORDER BY id")) {
            Sql.bind(st, verificationId);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new ChunkResult(rs.getLong("verification_id"), rs.getString("run_id"),
                            rs.getInt("chunk_seq"), rs.getString("file_name"), rs.getString("classification"),
                            rs.getLong("shipped_rows"), Sql.nullableLong(rs, "source_rows"),
                            rs.getString("shipped_digest"), rs.getString("source_digest"), rs.getLong("rows_changed"),
                            rs.getLong("rows_missing"), rs.getLong("rows_extra"), rs.getString("detail")));
                }
            }
        }
        return out;
    }

    public List<DriftRow> driftRows(Connection c, long verificationId) throws SQLException {
        List<DriftRow> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT * FROM drift_rows WHERE verification_id = ? ORDER BY id")) {
            Sql.bind(st, verificationId);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new DriftRow(rs.getLong("verification_id"), rs.getString("run_id"), rs.getInt("chunk_seq"),
                            rs.getString("row_key"), rs.getString("kind"), rs.getString("carried_by")));
                }
            }
        }
        return out;
    }

    private static Pass pass(ResultSet rs) throws SQLException {
        return new Pass(rs.getLong("id"), rs.getString("contract_name"), rs.getString("run_id"), rs.getString("level"),
                rs.getString("outcome"), rs.getString("schema_outcome"), rs.getInt("chunks_checked"),
                rs.getLong("rows_shipped"), rs.getLong("rows_changed"), rs.getLong("rows_missing"),
                rs.getLong("rows_extra"), rs.getInt("mismatches"), Sql.nullableLong(rs, "delivery_lag_ms"),
                Sql.instant(rs, "started_at"), Sql.instant(rs, "finished_at"));
    }
}
