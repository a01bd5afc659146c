package dev.exportdesk.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The ledger's rows in the state store: leaves (append-only) and the signed checkpoint of each run. */
public final class LedgerRepository {

    public record Entry(long leafIndex, String contractName, String runId, int chunkSeq, String leaf,
                        String leafHash) {
    }

    public record CheckpointRow(String runId, String contractName, long treeSize, String rootHash, String note,
                                Instant createdAt) {
    }

    /**
     * Makes this transaction the ledger's only writer until it ends: every append takes this row lock
     * first, whichever process appends, so the signed tree never forks.
     */
    public void lockWriter(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT id FROM ledger_writer WHERE id = 1 FOR UPDATE")) {
            st.executeQuery().close();
        }
    }

    public void append(Connection c, Entry e, Instant now) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO ledger_entries(leaf_index, contract_name, run_id, "
                + "chunk_seq, leaf, leaf_hash, appended_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            Sql.bind(st, e.leafIndex(), e.contractName(), e.runId(), e.chunkSeq(), e.leaf(), e.leafHash(), now);
            st.executeUpdate();
        }
    }

    public List<Entry> all(Connection c) throws SQLException {
        return query(c, "SELECT * FROM ledger_entries ORDER BY leaf_index");
    }

    public List<Entry> forRun(Connection c, String runId) throws SQLException {
        return query(c, "SELECT * FROM ledger_entries WHERE run_id = ? ORDER BY leaf_index", runId);
    }

    private List<Entry> query(Connection c, String sql, Object... params) throws SQLException {
        List<Entry> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(sql)) {
            Sql.bind(st, params);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new Entry(rs.getLong("leaf_index"), rs.getString("contract_name"), rs.getString("run_id"),
                            rs.getInt("chunk_seq"), rs.getString("leaf"), rs.getString("leaf_hash")));
                }
            }
        }
        return out;
    }

    public void addCheckpoint(Connection c, CheckpointRow cp) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO ledger_checkpoints(run_id, contract_name, "
                + "tree_size, root_hash, note, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            Sql.bind(st, cp.runId(), cp.contractName(), cp.treeSize(), cp.rootHash(), cp.note(), cp.createdAt());
            st.executeUpdate();
        }
    }

    public Optional<CheckpointRow> checkpoint(Connection c, String runId) throws SQLException {
        List<CheckpointRow> rows = checkpoints(c, "SELECT * FROM ledger_checkpoints WHERE run_id = ?", runId);
        return rows.stream().findFirst();
    }

    public List<CheckpointRow> allCheckpoints(Connection c) throws SQLException {
        return checkpoints(c, "SELECT * FROM ledger_checkpoints ORDER BY tree_size, created_at");
    }

    private List<CheckpointRow> checkpoints(Connection c, String sql, Object... params) throws SQLException {
        List<CheckpointRow> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(sql)) {
            Sql.bind(st, params);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new CheckpointRow(rs.getString("run_id"), rs.getString("contract_name"),
                            rs.getLong("tree_size"), rs.getString("root_hash"), rs.getString("note"),
                            Sql.instant(rs, "created_at")));
                }
            }
        }
        return out;
    }
}
