package dev.exportdesk.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Runs and their state transitions. */
public final class RunRepository {

    /**
     * Locks the run's row until the transaction ends, waiting for it (within the transaction's lock
     * timeout): what serialises the claims of a split run's ranges and the numbering of their chunks.
     * False when the run does not exist.
     */
    static boolean lock(Connection c, String runId) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT id FROM runs WHERE id = ? FOR UPDATE")) {
            Sql.bind(st, runId);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        }
    }

    public void insert(Connection c, RunRecord r) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO runs(id, contract_name, contract_version, "
                + "sequence, mode, state, planned_at, cursor_from, lookback_from, upper_bound, schema_fingerprint, "
                + "previous_manifest_sha256, attempts, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            Sql.bind(st, r.id(), r.contractName(), r.contractVersion(), r.sequence(), r.mode().wire(), r.state().name(),
                    r.plannedAt(), r.cursorFrom(), r.lookbackFrom(), r.upperBound(), r.schemaFingerprint(),
                    r.previousManifestSha256(), r.attempts(), r.plannedAt());
            st.executeUpdate();
        }
    }

    public Optional<RunRecord> find(Connection c, String id) throws SQLException {
        return one(c, "SELECT * FROM runs WHERE id = ?", id);
    }

    /** Runs whose id starts with {@code prefix}, so operators can type the first few characters. */
    public List<RunRecord> findByPrefix(Connection c, String prefix) throws SQLException {
        return many(c, "SELECT * FROM runs WHERE id LIKE ? ORDER BY planned_at",
                prefix.replace("%", "").replace("_", "") + "%");
    }

    public Optional<RunRecord> unfinished(Connection c, String contract) throws SQLException {
        return one(c, "SELECT * FROM runs WHERE contract_name = ? AND state <> 'COMPLETED' ORDER BY sequence", contract);
    }

    public List<RunRecord> allUnfinished(Connection c) throws SQLException {
        return many(c, "SELECT * FROM runs WHERE state NOT IN ('COMPLETED', 'RESYNC_REQUIRED') ORDER BY planned_at");
    }

    public Optional<RunRecord> latest(Connection c, String contract) throws SQLException {
        return one(c, "SELECT * FROM runs WHERE contract_name = ? ORDER BY sequence DESC", contract);
    }

    public List<RunRecord> recent(Connection c, int limit) throws SQLException {
        List<RunRecord> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT * FROM runs ORDER BY planned_at DESC")) {
            st.setMaxRows(limit);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(map(rs));
                }
            }
        }
        return out;
    }

    public boolean hasCompleted(Connection c, String contract) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT 1 FROM runs WHERE contract_name = ? "
                + "AND state = 'COMPLETED' FETCH FIRST 1 ROWS ONLY")) {
            Sql.bind(st, contract);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        }
    }

    public List<RunRecord> completedInOrder(Connection c, String contract) throws SQLException {
        return many(c, "SELECT * FROM runs WHERE contract_name = ? AND state = 'COMPLETED' ORDER BY sequence",
                contract);
    }

    /** A contract version that has completed runs. */
    public record ContractVersionRef(String contract, int version) {
    }

    /** Every contract version with completed runs (few: one per stored version ever run). */
    public List<ContractVersionRef> completedVersions(Connection c) throws SQLException {
        List<ContractVersionRef> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT DISTINCT contract_name, contract_version FROM runs "
                + "WHERE state = 'COMPLETED' ORDER BY contract_name, contract_version");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.add(new ContractVersionRef(rs.getString(1), rs.getInt(2)));
            }
        }
        return out;
    }

    /**
     * Completed runs of one contract version whose partner receipt is still open: never checked, or
     * last judged WAITING or REDELIVERED (a fresh receipt is due). Once judged OVERDUE, REJECTED,
     * ACKNOWLEDGED or REDELIVER a run leaves this list, as {@code ack --wait} stops there. Whether a
     * version expects receipts at all lives in its contract body, so the engine asks only for those
     * that do. Oldest first.
     */
    public List<RunRecord> awaitingReceipt(Connection c, ContractVersionRef version) throws SQLException {
        return many(c, "SELECT r.* FROM runs r LEFT JOIN run_acks a ON a.run_id = r.id WHERE r.state = 'COMPLETED' "
                + "AND r.contract_name = ? AND r.contract_version = ? "
                + "AND (a.run_id IS NULL OR a.state IN ('WAITING', 'REDELIVERED') "
                // a redelivery that could not be done yet (no receipt judged into it) is tried again
                + "OR (a.state = 'REDELIVER' AND a.receipt_sha256 IS NULL)) ORDER BY r.finished_at, r.id",
                version.contract(), version.version());
    }

    public void updateState(Connection c, String id, RunState state, String error, Instant now) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "UPDATE runs SET state = ?, error = ?, heartbeat_at = ? WHERE id = ?")) {
            Sql.bind(st, state.name(), Sql.message(error, 4000), now, id);
            st.executeUpdate();
        }
    }

    public void countAttempt(Connection c, String id, Instant now) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "UPDATE runs SET attempts = attempts + 1, heartbeat_at = ? WHERE id = ?")) {
            Sql.bind(st, now, id);
            st.executeUpdate();
        }
    }

    /** Re-binds a run that shipped nothing yet to a newer contract version (after schema drift). */
    public void rebind(Connection c, String id, int contractVersion, String schemaFingerprint) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "UPDATE runs SET contract_version = ?, schema_fingerprint = ? WHERE id = ?")) {
            Sql.bind(st, contractVersion, schemaFingerprint, id);
            st.executeUpdate();
        }
    }

    /** Fixes the run's scan bounds and schema once, before the first chunk is captured. */
    public void fixBounds(Connection c, String id, String upperBound, String lookbackFrom, String schemaFingerprint)
            throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "UPDATE runs SET upper_bound = ?, lookback_from = ?, schema_fingerprint = ? WHERE id = ?")) {
            Sql.bind(st, upperBound, lookbackFrom, schemaFingerprint, id);
            st.executeUpdate();
        }
    }

    /**
     * Ends a stopped run at {@code upperBound} (exclusive) and makes it resumable again: a re-sync
     * closing a stream run at its last sealed chunk.
     */
    public void closeAt(Connection c, String id, String upperBound, Instant now) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE runs SET upper_bound = ?, state = 'CAPTURING', "
                + "error = NULL, heartbeat_at = ? WHERE id = ?")) {
            Sql.bind(st, upperBound, now, id);
            st.executeUpdate();
        }
    }

    /**
     * Starts an unfinished run over as a full export (a re-sync): nothing is bound, nothing read, and
     * it runs under {@code contractVersion}. Its sequence is kept, so the partner's manifests stay
     * gap-free. Only for a run that sealed no chunk (the caller checks, in the same transaction).
     */
    public void restartAsCopy(Connection c, String id, int contractVersion, RunMode mode, Instant now)
            throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE runs SET mode = ?, contract_version = ?, "
                + "cursor_from = NULL, lookback_from = NULL, upper_bound = NULL, schema_fingerprint = NULL, "
                + "state = 'PLANNED', error = NULL, heartbeat_at = ? WHERE id = ?")) {
            Sql.bind(st, mode.wire(), contractVersion, now, id);
            st.executeUpdate();
        }
    }

    public void heartbeat(Connection c, String id, Instant now) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE runs SET heartbeat_at = ? WHERE id = ?")) {
            Sql.bind(st, now, id);
            st.executeUpdate();
        }
    }

    public void complete(Connection c, String id, long rows, long bytes, int chunks, String manifestSha256,
                         Instant now) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE runs SET state = 'COMPLETED', error = NULL, "
                + "row_count = ?, byte_count = ?, chunk_count = ?, manifest_sha256 = ?, finished_at = ?, "
                + "heartbeat_at = ? WHERE id = ?")) {
            Sql.bind(st, rows, bytes, chunks, manifestSha256, now, now, id);
            st.executeUpdate();
        }
    }

    private static Optional<RunRecord> one(Connection c, String sql, Object... params) throws SQLException {
        List<RunRecord> list = many(c, sql, params);
        return list.isEmpty() ? Optional.empty() : Optional.of(list.get(0));
    }

    private static List<RunRecord> many(Connection c, String sql, Object... params) throws SQLException {
        List<RunRecord> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(sql)) {
            Sql.bind(st, params);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(map(rs));
                }
            }
        }
        return out;
    }

    private static RunRecord map(ResultSet rs) throws SQLException {
        return new RunRecord(rs.getString("id"), rs.getString("contract_name"), rs.getInt("contract_version"),
                rs.getLong("sequence"), RunMode.of(rs.getString("mode")), RunState.valueOf(rs.getString("state")),
                Sql.instant(rs, "planned_at"), Sql.instant(rs, "finished_at"), rs.getString("cursor_from"),
                rs.getString("lookback_from"), rs.getString("upper_bound"), rs.getString("schema_fingerprint"),
                rs.getLong("row_count"), rs.getLong("byte_count"), rs.getInt("chunk_count"), rs.getInt("attempts"),
                rs.getString("previous_manifest_sha256"), rs.getString("manifest_sha256"), rs.getString("error"),
                Sql.instant(rs, "heartbeat_at"));
    }
}
