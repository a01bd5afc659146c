package dev.exportdesk.source;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
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
    private static final long MICROS = 1_000_000L;
    /** Not a time {@link #epochMicros} reads: its years 0000–9999 stay far inside a long of microseconds. */
    private static final long NOT_FAST = Long.MIN_VALUE;

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
                return v == null ? null : time(v);
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

    public static String time(LocalTime t) {
        return TIME.format(t);
    }

    /**
     * {@code uuuu-MM-dd'T'HH:mm:ss.SSSSSS} (+ 'Z'), written by hand: this runs for every timestamp of
     * every row, and {@link DateTimeFormatter} is several times slower. Years outside 0–9999 fall
     * back to the formatter.
     */
    public static String timestamp(LocalDateTime t, boolean utc) {
        int year = t.getYear();
        if (year < 0 || year > 9999) {
            return utc ? TIMESTAMP_UTC.format(t) : TIMESTAMP.format(t);
        }
        // bytes, not chars: a String made from Latin-1 bytes is one copy, from chars a compression
        byte[] c = new byte[utc ? 27 : 26];
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
        return new String(c, StandardCharsets.ISO_8859_1);
    }

    private static void digits(byte[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (byte) ('0' + value % 10);
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
        if (kind != ValueKind.DATE) {
            long micros = epochMicros(text, kind == ValueKind.TIMESTAMP_TZ);
            if (micros != NOT_FAST) {
                return Instant.ofEpochSecond(Math.floorDiv(micros, MICROS), Math.floorMod(micros, MICROS) * 1000L);
            }
        }
        return parsed(text, kind);
    }

    /**
     * As {@link #instantOf(Object, ValueKind)}, written to {@code seconds[i]} and {@code nanos[i]}
     * without an {@code Instant} for the usual shapes: an export inside the lookback reads the cursor
     * time of every row, and the thread that compresses compares each with the index horizon (issue 14).
     */
    public static void instantOf(Object canonical, ValueKind kind, long[] seconds, int[] nanos, int i) {
        long micros = kind == ValueKind.DATE ? NOT_FAST : epochMicros(canonical.toString(), kind == ValueKind.TIMESTAMP_TZ);
        if (micros != NOT_FAST) {
            seconds[i] = Math.floorDiv(micros, MICROS);
            nanos[i] = (int) Math.floorMod(micros, MICROS) * 1000;
        } else {
            Instant t = parsed(canonical.toString(), kind);
            seconds[i] = t.getEpochSecond();
            nanos[i] = t.getNano();
        }
    }

    /** The shapes {@link #epochMicros} leaves to java.time's parsers. */
    private static Instant parsed(String text, ValueKind kind) {
        return switch (kind) {
            case DATE -> LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC);
            case TIMESTAMP -> LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            case TIMESTAMP_TZ -> OffsetDateTime.parse(text).toInstant();
            default -> throw new IllegalArgumentException(kind + " is not a date/time kind");
        };
    }

    /**
     * The inverse of {@link #timestamp} by hand, in microseconds since the epoch, or
     * {@link #NOT_FAST} for any other shape (the parsers take those): the lookback and its index
     * read the cursor time of every row, and {@link OffsetDateTime#parse} cost more than encoding the row.
     */
    private static long epochMicros(String t, boolean utc) {
        if (t.length() != (utc ? 27 : 26) || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T'
                || t.charAt(13) != ':' || t.charAt(16) != ':' || t.charAt(19) != '.' || utc && t.charAt(26) != 'Z') {
            return NOT_FAST;
        }
        int year = number(t, 0, 4);
        int month = number(t, 5, 2);
        int day = number(t, 8, 2);
        int hour = number(t, 11, 2);
        int minute = number(t, 14, 2);
        int second = number(t, 17, 2);
        int micros = number(t, 20, 6);
        if ((year | month | day | hour | minute | second | micros) < 0 || month < 1 || month > 12 || day < 1
                || day > 31 || hour > 23 || minute > 59 || second > 59) {
            return NOT_FAST;
        }
        try {
            long days = LocalDate.of(year, month, day).toEpochDay();
            return (days * 86_400 + hour * 3600L + minute * 60L + second) * MICROS + micros;
        } catch (java.time.DateTimeException e) {
            return NOT_FAST; // e.g. 31 April: the parser says what is wrong
        }
    }

    /** The decimal number in {@code t[from, from + len)}, or -1 when a character is not a digit. */
    private static int number(String t, int from, int len) {
        int v = 0;
        for (int i = from; i < from + len; i++) {
            char ch = t.charAt(i);
            if (ch < '0' || ch > '9') {
                return -1;
            }
            v = v * 10 + (ch - '0');
        }
        return v;
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
