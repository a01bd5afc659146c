package dev.exportdesk.source;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;

/**
 * Fixes a run's upper bound from the source's own clock (not this machine's), so skew between the
 * two cannot let an in-flight transaction's rows slip behind the cursor.
 */
public final class SourceClock {
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
                    return switch (lead.kind()) {
                        case TIMESTAMP_TZ -> CanonicalValues.fromInstant(now.toInstant().minus(safetyLag),
                                ValueKind.TIMESTAMP_TZ);
                        case TIMESTAMP -> CanonicalValues.timestamp(local.minus(safetyLag), false);
                        default -> local.minus(safetyLag).toLocalDate().minusDays(1).toString();
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
}
