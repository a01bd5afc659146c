package dev.exportdesk.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Every verification is kept, so drift and history can be charted later. */
public final class VerificationRepository {

    public void add(Connection c, Verification v) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO verifications(run_id, chunk_seq, level, "
                + "outcome, detail, verified_at, destination_sha256) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            Sql.bind(st, v.runId(), v.chunkSeq(), v.level(), v.outcome(), Sql.message(v.detail(), 4000),
                    v.verifiedAt(), v.destinationSha256());
            st.executeUpdate();
        }
    }

    /**
     * When {@code contract} was last verified, at either level: its latest delivery check of a chunk
     * or its latest source-level pass; null when never. Two aggregates, so the console's schedule can
     * ask every tick without reading the checks of every chunk of every run.
     */
    public Instant latestFor(Connection c, String contract) throws SQLException {
        Instant delivery = latest(c, "SELECT MAX(v.verified_at) AS t FROM verifications v JOIN runs r "
                + "ON r.id = v.run_id WHERE r.contract_name = ?", contract);
        Instant pass = latest(c, "SELECT MAX(started_at) AS t FROM verification_runs WHERE contract_name = ?",
                contract);
        return delivery == null ? pass : pass == null || delivery.isAfter(pass) ? delivery : pass;
    }

    private static Instant latest(Connection c, String sql, String contract) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            Sql.bind(st, contract);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Sql.instant(rs, "t") : null;
            }
        }
    }

    public List<Verification> forRun(Connection c, String runId) throws SQLException {
        List<Verification> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(
                "SELECT * FROM verifications WHERE run_id = ? ORDER BY id")) {
            Sql.bind(st, runId);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    int seq = rs.getInt("chunk_seq");
                    Integer chunkSeq = rs.wasNull() ? null : seq;
                    out.add(new Verification(rs.getString("run_id"), chunkSeq, rs.getString("level"),
                            rs.getString("outcome"), rs.getString("detail"), Sql.instant(rs, "verified_at"),
                            rs.getString("destination_sha256")));
                }
            }
        }
        return out;
    }
}
