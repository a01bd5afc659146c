package dev.exportdesk.source;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;

/**
 * The canonical value encoding (docs/delivery-format.md): the same stored value gives the same
 * Java value — and so the same bytes — whichever database or driver it came from.
 * <ul>
 *   <li>integers → {@link Long}; booleans → {@link Boolean}; finite floats → {@link Double},
 *       NaN/±Infinity → their names as strings</li>
 *   <li>decimals → exact plain string with the column's scale ("12.50", never 1.25E+1)</li>
 *   <li>timestamps with time zone → UTC, {@code 2024-05-01T10:15:30.000000Z} (always 6 digits)</li>
 *   <li>timestamps without time zone → {@code 2024-05-01T10:15:30.000000} (no zone is invented)</li>
 *   <li>dates → {@code 2024-05-01}; times → {@code 10:15:30.000000}; binary → base64</li>
 *   <li>NULL → null, never the empty string</li>
 * </ul>
 */
public final class CanonicalValues {
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS");
    private static final DateTimeFormatter TIMESTAMP_UTC = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS");

    private CanonicalValues() {
    }

    public static Object read(ResultSet rs, int index, ValueKind kind) throws SQLException {
        switch (kind) {
            case INTEGER: {
                long v = rs.getLong(index);
                return rs.wasNull() ? null : v;
            }
            case DECIMAL: {
                BigDecimal v = rs.getBigDecimal(index);
                return v == null ? null : v.toPlainString();
            }
            case FLOAT: {
                double v = rs.getDouble(index);
                if (rs.wasNull()) {
                    return null;
                }
                return Double.isFinite(v) ? (Object) v : Double.toString(v);
            }
            case BOOLEAN: {
                boolean v = rs.getBoolean(index);
                return rs.wasNull() ? null : v;
            }
            case DATE: {
                LocalDate v = rs.getObject(index, LocalDate.class);
                return v == null ? null : v.toString();
            }
            case TIME: {
                LocalTime v = rs.getObject(index, LocalTime.class);
                return v == null ? null : TIME.format(v);
            }
            case TIMESTAMP: {
                LocalDateTime v = rs.getObject(index, LocalDateTime.class);
                return v == null ? null : timestamp(v, false);
            }
            case TIMESTAMP_TZ: {
                OffsetDateTime v = rs.getObject(index, OffsetDateTime.class);
                return v == null ? null : timestamp(v.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime(), true);
            }
            case BINARY: {
                byte[] v = rs.getBytes(index);
                return v == null ? null : Base64.getEncoder().encodeToString(v);
            }
            default:
                return rs.getString(index);
        }
    }

    /**
     * {@code uuuu-MM-dd'T'HH:mm:ss.SSSSSS} (+ 'Z'), written by hand: this runs for every timestamp of
     * every row, and {@link DateTimeFormatter} is several times slower. Years outside 0–9999 fall
     * back to the formatter.
     */
    static String timestamp(LocalDateTime t, boolean utc) {
        int year = t.getYear();
        if (year < 0 || year > 9999) {
            return utc ? TIMESTAMP_UTC.format(t) : TIMESTAMP.format(t);
        }
        char[] c = new char[utc ? 27 : 26];
        digits(c, 0, year, 4);
        c[4] = '-';
        digits(c, 5, t.getMonthValue(), 2);
        c[7] = '-';
        digits(c, 8, t.getDayOfMonth(), 2);
        c[10] = 'T';
        digits(c, 11, t.getHour(), 2);
        c[13] = ':';
        digits(c, 14, t.getMinute(), 2);
        c[16] = ':';
        digits(c, 17, t.getSecond(), 2);
        c[19] = '.';
        digits(c, 20, t.getNano() / 1000, 6);
        if (utc) {
            c[26] = 'Z';
        }
        return new String(c);
    }

    private static void digits(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /** Turns a canonical value back into a JDBC parameter of the column's type (for keyset bounds). */
    public static Object toParameter(Object canonical, ValueKind kind) {
        if (canonical == null) {
            return null;
        }
        String text = canonical.toString();
        return switch (kind) {
            case INTEGER -> ((Number) canonical).longValue();
            case DECIMAL -> new BigDecimal(text);
            case BOOLEAN -> canonical;
            case DATE -> LocalDate.parse(text);
            case TIME -> LocalTime.parse(text);
            case TIMESTAMP -> LocalDateTime.parse(text);
            case TIMESTAMP_TZ -> OffsetDateTime.parse(text);
            default -> text;
        };
    }

    /** The instant a temporal canonical value stands for; zone-less values are read as UTC. */
    public static Instant instantOf(Object canonical, ValueKind kind) {
        String text = canonical.toString();
        return switch (kind) {
            case DATE -> LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC);
            case TIMESTAMP -> LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            case TIMESTAMP_TZ -> OffsetDateTime.parse(text).toInstant();
            default -> throw new IllegalArgumentException(kind + " is not a date/time kind");
        };
    }

    /** The canonical value of the given instant in a temporal column kind (inverse of {@link #instantOf}). */
    public static Object fromInstant(Instant instant, ValueKind kind) {
        return switch (kind) {
            case DATE -> LocalDate.ofInstant(instant, ZoneOffset.UTC).toString();
            case TIMESTAMP -> timestamp(LocalDateTime.ofInstant(instant, ZoneOffset.UTC), false);
            case TIMESTAMP_TZ -> timestamp(LocalDateTime.ofInstant(instant, ZoneOffset.UTC), true);
            default -> throw new IllegalArgumentException(kind + " is not a date/time kind");
        };
    }
}
