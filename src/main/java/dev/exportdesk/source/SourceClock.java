package dev.exportdesk.source;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fixes a run's upper bound from the source's own clock (not this machine's), so skew between the
 * two cannot let an in-flight transaction's rows slip behind the cursor. On PostgreSQL the bound
 * also stays below the start of the oldest transaction still open in the database: rows it stamps
 * with the database clock ({@code now()}, a column default, a trigger) are stamped at or after that
 * start, so they land above the bound and the next run reads them once they commit, whatever the
 * lookback (docs/contracts.md, "Late-arriving rows").
 */
public final class SourceClock {
    private static final Logger LOG = LoggerFactory.getLogger(SourceClock.class);
    /** ExportDesk's own source sessions are read-only: their transactions stamp nothing. */
    public static final String APPLICATION_NAME = "exportdesk";
    /** How far a held-back bound may trail the safety lag before the run's log says why. */
    private static final Duration WARN_HELD_BACK = Duration.ofMinutes(1);

    private SourceClock() {
    }

    /**
     * For a date/time leading cursor: source now − safety lag (dates: the last complete day before
     * it). For other cursors: the current maximum, or null when the table is empty.
     */
    public static Object upperBound(Connection c, SourceSchema schema, Duration safetyLag) {
        ColumnInfo lead = schema.leadingCursor();
        try {
            if (lead.kind().temporal()) {
                try (PreparedStatement st = c.prepareStatement("SELECT CURRENT_TIMESTAMP, LOCALTIMESTAMP");
                     ResultSet rs = st.executeQuery()) {
                    rs.next();
                    OffsetDateTime now = rs.getObject(1, OffsetDateTime.class);
                    LocalDateTime local = rs.getObject(2, LocalDateTime.class);
                    Duration hold = hold(c, now, safetyLag);
                    return switch (lead.kind()) {
                        case TIMESTAMP_TZ -> CanonicalValues.fromInstant(now.toInstant().minus(hold),
                                ValueKind.TIMESTAMP_TZ);
                        case TIMESTAMP -> CanonicalValues.timestamp(local.minus(hold), false);
                        default -> local.minus(hold).toLocalDate().minusDays(1).toString();
                    };
                }
            }
            Identifiers ids = new Identifiers(c.getMetaData());
            try (PreparedStatement st = c.prepareStatement(
                    "SELECT MAX(" + ids.quote(lead.name()) + ") FROM " + schema.relationSql());
                 ResultSet rs = st.executeQuery()) {
                rs.next();
                return CanonicalValues.read(rs, 1, lead.kind());
            }
        } catch (SQLException e) {
            throw new SourceException("cannot read the source's clock or cursor maximum: " + e.getMessage(), e);
        }
    }

    /**
     * How far below the source's now the bound goes: the safety lag, or further, to just before the
     * oldest open transaction of another session in this database (a prepared transaction counts).
     * Without pg_read_all_stats the role sees only its own sessions, so the lag alone applies.
     */
    private static Duration hold(Connection c, OffsetDateTime now, Duration safetyLag) throws SQLException {
        if (!"PostgreSQL".equals(c.getMetaData().getDatabaseProductName())) {
            return safetyLag;
        }
        String sql = "SELECT pg_has_role(current_user, 'pg_read_all_stats', 'USAGE'), "
                + "(SELECT a.xact_start FROM pg_stat_activity a WHERE a.datname = current_database() "
                + "AND a.pid <> pg_backend_pid() AND a.backend_type = 'client backend' AND a.xact_start IS NOT NULL "
                + "AND a.application_name IS DISTINCT FROM ? ORDER BY a.xact_start LIMIT 1), "
                + "(SELECT a.pid FROM pg_stat_activity a WHERE a.datname = current_database() "
                + "AND a.pid <> pg_backend_pid() AND a.backend_type = 'client backend' AND a.xact_start IS NOT NULL "
                + "AND a.application_name IS DISTINCT FROM ? ORDER BY a.xact_start LIMIT 1), "
                + "(SELECT min(p.prepared) FROM pg_prepared_xacts p WHERE p.database = current_database())";
        try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, APPLICATION_NAME);
            st.setString(2, APPLICATION_NAME);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                OffsetDateTime oldest = rs.getObject(2, OffsetDateTime.class);
                OffsetDateTime prepared = rs.getObject(4, OffsetDateTime.class);
                if (!rs.getBoolean(1)) {
                    LOG.info("the source role cannot see other sessions' transactions (GRANT pg_read_all_stats): "
                            + "late commits are covered by the lookback only");
                }
                String holder = oldest == null ? null : "pid " + rs.getInt(3);
                if (prepared != null && (oldest == null || prepared.isBefore(oldest))) {
                    oldest = prepared;
                    holder = "a prepared transaction";
                }
                if (oldest == null) {
                    return safetyLag;
                }
                // a microsecond below the start: the bound is inclusive, the transaction's stamps are not below it
                Duration held = Duration.between(oldest.toInstant(), now.toInstant()).plusNanos(1000);
                if (held.compareTo(safetyLag) <= 0) {
                    return safetyLag;
                }
                if (held.compareTo(safetyLag.plus(WARN_HELD_BACK)) > 0) {
                    LOG.warn("the run's upper bound is held back {} s by a transaction open since {} ({}) in the "
                            + "source database; its rows are read once it commits", held.toSeconds(), oldest, holder);
                }
                return held;
            }
        }
    }
}
