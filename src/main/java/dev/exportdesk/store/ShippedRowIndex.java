package dev.exportdesk.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The bounded index of recently shipped rows used by the late-data lookback. Entries older than
 * the lookback horizon are pruned when a run completes, so its size follows the change rate over
 * the lookback window, not the table size.
 */
public final class ShippedRowIndex {

    public Optional<String> hashOf(Connection c, String contract, String rowKey) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "SELECT row_sha256 FROM shipped_rows WHERE contract_name = ? AND row_key = ?")) {
            Sql.bind(st, contract, rowKey);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** Portable upsert: update what exists, insert the rest (no MERGE dialects). */
    public void record(Connection c, String contract, String runId, List<ShippedRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        List<ShippedRow> missing = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("UPDATE shipped_rows SET row_sha256 = ?, cursor_at = ?, "
                + "run_id = ? WHERE contract_name = ? AND row_key = ?")) {
            for (ShippedRow r : rows) {
                Sql.bind(st, r.rowSha256(), r.cursorAt(), runId, contract, r.rowKey());
                st.addBatch();
            }
            int[] counts = st.executeBatch();
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] == 0) {
                    missing.add(rows.get(i));
                }
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        try (PreparedStatement st = c.prepareStatement("INSERT INTO shipped_rows(contract_name, row_key, "
                + "row_sha256, cursor_at, run_id) VALUES (?, ?, ?, ?, ?)")) {
            for (ShippedRow r : missing) {
                Sql.bind(st, contract, r.rowKey(), r.rowSha256(), r.cursorAt(), runId);
                st.addBatch();
            }
            st.executeBatch();
        }
    }

    public int prune(Connection c, String contract, Instant horizon) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "DELETE FROM shipped_rows WHERE contract_name = ? AND cursor_at < ?")) {
            Sql.bind(st, contract, horizon);
            return st.executeUpdate();
        }
    }

    public long size(Connection c, String contract) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT COUNT(*) FROM shipped_rows WHERE contract_name = ?")) {
            Sql.bind(st, contract);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
