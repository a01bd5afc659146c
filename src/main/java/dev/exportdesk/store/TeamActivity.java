package dev.exportdesk.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * For {@code store status}: how many workers registered and how many run leases are live, read from
 * the workers' tables when this store has them (an older store, or a build without workers, does not).
 */
public final class TeamActivity {
    private TeamActivity() {
    }

    /** {@code liveRanges}: key ranges of split runs being captured now (V23; 0 on an older store). */
    public record Counts(long workers, Instant lastHeartbeat, long liveLeases, long liveRanges) {
    }

    public static Optional<Counts> read(StateStore store) {
        return store.inTransaction(c -> {
            if (!exists(c, "workers") || !exists(c, "run_leases")) {
                return Optional.empty();
            }
            long workers;
            Instant last;
            try (PreparedStatement st = c.prepareStatement("SELECT COUNT(*), MAX(heartbeat_at) FROM workers");
                 ResultSet rs = st.executeQuery()) {
                rs.next();
                workers = rs.getLong(1);
                OffsetDateTime at = rs.getObject(2, OffsetDateTime.class);
                last = at == null ? null : at.toInstant();
            }
            long leases = count(c, "SELECT COUNT(*) FROM run_leases WHERE state = 'HELD' AND expires_at > CURRENT_TIMESTAMP");
            long ranges = exists(c, "run_segments") ? count(c, "SELECT COUNT(*) FROM run_segments WHERE state = 'HELD' "
                    + "AND expires_at > CURRENT_TIMESTAMP") : 0;
            return Optional.of(new Counts(workers, last, leases, ranges));
        });
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql); ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static boolean exists(Connection c, String table) throws SQLException {
        for (String name : new String[] {table, table.toUpperCase(java.util.Locale.ROOT)}) {
            try (ResultSet rs = c.getMetaData().getTables(null, null, name, new String[] {"TABLE", "BASE TABLE"})) {
                if (rs.next()) {
                    return true;
                }
            }
        }
        return false;
    }
}
