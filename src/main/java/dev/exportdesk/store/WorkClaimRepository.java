package dev.exportdesk.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Table {@code work_claims} (V20, V30): due verifications, receipt polls and retentions, one worker at
 * a time per key, each claim with an epoch one higher than the last. The caller of {@link #claim}
 * holds the row lock of the work's contract ({@link LeaseRepository#lockContract}), which serialises
 * the first insert of a key; times are the store's clock.
 */
public final class WorkClaimRepository {
    private final SqlDialect dialect;

    WorkClaimRepository(SqlDialect dialect) {
        this.dialect = dialect;
    }

    /**
     * Claims {@code key} for {@code holder} for one {@code timeout} if nobody holds it and it is not
     * resting; empty otherwise.
     */
    public Optional<TaskClaim> claim(Connection c, String key, String holder, Instant now, Duration timeout)
            throws SQLException {
        Instant until = now.plus(timeout);
        try (PreparedStatement st = c.prepareStatement(
                "SELECT expires_at, epoch FROM work_claims WHERE work_key = ? FOR UPDATE")) {
            Sql.bind(st, key);
            try (ResultSet rs = st.executeQuery()) {
                if (rs.next()) {
                    if (!Sql.instant(rs, "expires_at").isBefore(now)) {
                        return Optional.empty();
                    }
                    long epoch = rs.getLong("epoch") + 1;
                    try (PreparedStatement up = c.prepareStatement(
                            "UPDATE work_claims SET holder = ?, expires_at = ?, epoch = ? WHERE work_key = ?")) {
                        Sql.bind(up, holder, until, epoch, key);
                        return up.executeUpdate() == 1 ? Optional.of(new TaskClaim(key, epoch, holder, timeout))
                                : Optional.empty();
                    }
                }
            }
        }
        try (PreparedStatement st = c.prepareStatement(
                "INSERT INTO work_claims(work_key, holder, expires_at, epoch) VALUES (?, ?, ?, 1)")) {
            Sql.bind(st, key, holder, until);
            st.executeUpdate();
        }
        return Optional.of(new TaskClaim(key, 1, holder, timeout));
    }

    /**
     * Moves the claim's end (renewal while working; the rest after it, so it is not redone at once);
     * false when the claim is no longer {@code claim}'s (another worker claimed the work since).
     */
    public boolean extend(Connection c, TaskClaim claim, Instant until) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "UPDATE work_claims SET expires_at = ? WHERE work_key = ? AND holder = ? AND epoch = ?")) {
            Sql.bind(st, until, claim.key(), claim.holder(), claim.epoch());
            return st.executeUpdate() == 1;
        }
    }

    /**
     * The fence of every transaction made under {@code claim}: a shared lock on the claim's row (a new
     * claim waits for the transaction to end) and its epoch compared, throwing
     * {@link LeaseLostException} when another worker claimed the work since.
     */
    void check(Connection c, TaskClaim claim) throws SQLException {
        boolean pg = dialect == SqlDialect.POSTGRESQL;
        // a worker frozen inside this transaction has its session ended after one timeout, as for a run
        String lock = pg ? "SELECT epoch, holder, set_config('idle_in_transaction_session_timeout', ?, true) "
                + "FROM work_claims WHERE work_key = ? FOR SHARE"
                : "SELECT epoch, holder FROM work_claims WHERE work_key = ? FOR UPDATE";
        try (PreparedStatement st = c.prepareStatement(lock)) {
            if (pg) {
                Sql.bind(st, Math.max(1000, claim.timeout().toMillis()) + "ms", claim.key());
            } else {
                Sql.bind(st, claim.key());
            }
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    throw new LeaseLostException(claim, "the work has no claim in the store");
                }
                long epoch = rs.getLong("epoch");
                if (epoch != claim.epoch() || !claim.holder().equals(rs.getString("holder"))) {
                    throw new LeaseLostException(claim, "worker " + rs.getString("holder") + " claimed it since (epoch "
                            + epoch + ")");
                }
            }
        }
    }
}
