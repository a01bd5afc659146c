package dev.exportdesk.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Retention's records (V27): which delivered runs were pruned, and what retention may rely on. */
public final class PruneRepository {

    /** Holds the run's row until the transaction ends, so two processes never record one prune twice. */
    public void lockRun(Connection c, String runId) throws SQLException {
        RunRepository.lock(c, runId);
    }

    public void insert(Connection c, RunPrune p) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO run_prunes(run_id, contract_name, state, "
                + "run_directory, files, actor, planned_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            Sql.bind(st, p.runId(), p.contractName(), p.state().name(), p.runDirectory(), RunPrune.text(p.files()),
                    Sql.message(p.actor(), 128), p.plannedAt());
            st.executeUpdate();
        }
    }

    public void markPruned(Connection c, String runId, Instant now) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "UPDATE run_prunes SET state = 'PRUNED', pruned_at = ? WHERE run_id = ?")) {
            Sql.bind(st, now, runId);
            st.executeUpdate();
        }
    }

    public Optional<RunPrune> find(Connection c, String runId) throws SQLException {
        List<RunPrune> found = many(c, "SELECT * FROM run_prunes WHERE run_id = ?", runId);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    public List<RunPrune> forContract(Connection c, String contract) throws SQLException {
        return many(c, "SELECT * FROM run_prunes WHERE contract_name = ? ORDER BY planned_at", contract);
    }

    /** Prunes that recorded their files but did not finish deleting them. */
    public List<RunPrune> unfinished(Connection c) throws SQLException {
        return many(c, "SELECT * FROM run_prunes WHERE state = 'PRUNING' ORDER BY planned_at");
    }

    /** The prune state of each of {@code runIds} that has one (for run tables). */
    public Map<String, PruneState> states(Connection c, List<String> runIds) throws SQLException {
        Map<String, PruneState> out = new HashMap<>();
        for (int from = 0; from < runIds.size(); from += 100) {
            List<String> page = runIds.subList(from, Math.min(runIds.size(), from + 100));
            String marks = String.join(", ", java.util.Collections.nCopies(page.size(), "?"));
            try (PreparedStatement st = c.prepareStatement("SELECT run_id, state FROM run_prunes WHERE run_id IN ("
                    + marks + ")")) {
                Sql.bind(st, page.toArray());
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), PruneState.valueOf(rs.getString(2)));
                    }
                }
            }
        }
        return out;
    }

    /** Whether the partner's receipt accepted the run (run_acks ACKNOWLEDGED). */
    public boolean receiptAccepted(Connection c, String runId) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT state FROM run_acks WHERE run_id = ?")) {
            Sql.bind(st, runId);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() && AckState.ACKNOWLEDGED.name().equals(rs.getString(1));
            }
        }
    }

    /**
     * The run-level files (chunk_seq 0: ledger files, SHA256SUMS, manifest, its signature, redelivery
     * notices) the engine itself delivered for a run, by name, from its transfer log.
     */
    public List<String> deliveredRunFiles(Connection c, String runId) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT DISTINCT file_name FROM transfer_attempts "
                + "WHERE run_id = ? AND chunk_seq = 0 AND outcome = 'OK' ORDER BY file_name")) {
            Sql.bind(st, runId);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private static List<RunPrune> many(Connection c, String sql, Object... params) throws SQLException {
        List<RunPrune> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(sql)) {
            Sql.bind(st, params);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new RunPrune(rs.getString("run_id"), rs.getString("contract_name"),
                            PruneState.valueOf(rs.getString("state")), rs.getString("run_directory"),
                            RunPrune.parse(rs.getString("files")), rs.getString("actor"),
                            Sql.instant(rs, "planned_at"), Sql.instant(rs, "pruned_at")));
                }
            }
        }
        return out;
    }
}
