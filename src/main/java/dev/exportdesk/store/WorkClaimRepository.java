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

    /** The fence of every transaction made under {@code claim} ({@link FenceRow}). */
    void check(Connection c, TaskClaim claim) throws SQLException {
        FenceRow row = FenceRow.lock(c, dialect, "work_claims", false, "work_key = ?", claim, claim.key())
                .orElseThrow(() -> new LeaseLostException(claim, "the work has no claim in the store"));
        if (row.epoch() != claim.epoch() || !claim.holder().equals(row.holder())) {
            throw new LeaseLostException(claim, "worker " + row.holder() + " claimed it since (epoch " + row.epoch() + ")");
        }
    }
}
