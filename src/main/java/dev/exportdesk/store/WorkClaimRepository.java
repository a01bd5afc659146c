package dev.exportdesk.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Table {@code work_claims} (V20): due verifications and receipt polls, one worker at a time per key.
 * The caller holds the row lock of the work's contract ({@link LeaseRepository#lockContract}), which
 * serialises the first insert of a key; times are the store's clock.
 */
public final class WorkClaimRepository {

    /** Claims {@code key} for {@code holder} until {@code until} if nobody holds it and it is not resting. */
    public boolean claim(Connection c, String key, String holder, Instant now, Instant until) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT expires_at FROM work_claims WHERE work_key = ?")) {
            Sql.bind(st, key);
            try (ResultSet rs = st.executeQuery()) {
                if (rs.next()) {
                    if (!Sql.instant(rs, "expires_at").isBefore(now)) {
                        return false;
                    }
                    try (PreparedStatement up = c.prepareStatement(
                            "UPDATE work_claims SET holder = ?, expires_at = ? WHERE work_key = ?")) {
                        Sql.bind(up, holder, until, key);
                        return up.executeUpdate() == 1;
                    }
                }
            }
        }
        try (PreparedStatement st = c.prepareStatement(
                "INSERT INTO work_claims(work_key, holder, expires_at) VALUES (?, ?, ?)")) {
            Sql.bind(st, key, holder, until);
            st.executeUpdate();
        }
        return true;
    }

    /** Moves the claim's end (renewal while working; the rest after it, so it is not redone at once). */
    public void extend(Connection c, String key, String holder, Instant until) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "UPDATE work_claims SET expires_at = ? WHERE work_key = ? AND holder = ?")) {
            Sql.bind(st, until, key, holder);
            st.executeUpdate();
        }
    }
}
