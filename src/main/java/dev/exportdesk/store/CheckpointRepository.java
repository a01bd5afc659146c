package dev.exportdesk.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** Per-contract checkpoints. Advanced only in the transaction that completes a run. */
public final class CheckpointRepository {

    public Checkpoint get(Connection c, String contract) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT * FROM checkpoints WHERE contract_name = ?")) {
            Sql.bind(st, contract);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return Checkpoint.initial(contract);
                }
                return new Checkpoint(contract, rs.getString("cursor_value"), rs.getString("upper_bound"),
                        rs.getLong("last_sequence"), rs.getString("last_run_id"),
                        rs.getString("last_manifest_sha256"), Sql.instant(rs, "updated_at"));
            }
        }
    }

    public void advance(Connection c, Checkpoint next, Instant now) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE checkpoints SET cursor_value = ?, upper_bound = ?, "
                + "last_sequence = ?, last_run_id = ?, last_manifest_sha256 = ?, updated_at = ? "
                + "WHERE contract_name = ?")) {
            Sql.bind(st, next.cursorValue(), next.upperBound(), next.lastSequence(), next.lastRunId(),
                    next.lastManifestSha256(), now, next.contractName());
            if (st.executeUpdate() == 1) {
                return;
            }
        }
        try (PreparedStatement st = c.prepareStatement("INSERT INTO checkpoints(contract_name, cursor_value, "
                + "upper_bound, last_sequence, last_run_id, last_manifest_sha256, updated_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            Sql.bind(st, next.contractName(), next.cursorValue(), next.upperBound(), next.lastSequence(),
                    next.lastRunId(), next.lastManifestSha256(), now);
            st.executeUpdate();
        }
    }
}
