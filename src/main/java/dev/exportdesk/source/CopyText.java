package dev.exportdesk.source;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.postgresql.jdbc.TimestampUtils;
import org.postgresql.util.PGbytea;

/**
 * Turns one line of PostgreSQL's {@code COPY … TO STDOUT} text format into canonical values, exactly
 * as {@link CanonicalValues#read} would from a ResultSet of the same row ({@code PgCopyScanTest}
 * compares the two on edge values). The common shapes — ISO dates and times in UTC, plain numerics —
 * are transcoded from the bytes; anything else goes through the driver's own parser, so rare values
 * (BC dates, infinity, years past 9999) stay identical to the JDBC path.
 */
final class CopyText {
    /**
     * The column types whose text output is decoded here. Anything else (money, domains, enums,
     * arrays…) is read through JDBC, whose conversions are the definition of the canonical values.
     */
    static final Set<String> TYPES = Set.of("int2", "int4", "int8", "serial", "bigserial", "numeric", "float4",
            "float8", "bool", "text", "varchar", "bpchar", "date", "time", "timestamp", "timestamptz", "bytea",
            "uuid", "json", "jsonb");

    private static final byte TAB = '\t';
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long TABS = TAB * ONES;
    private static final long SPACES = ' ' * ONES;
    private static final long QUOTES = '"' * ONES;
    private static final long BACKSLASHES = '\\' * ONES;

    private final List<ColumnInfo> columns;
    private final TimestampUtils timestamps;
    /** COPY escapes its fields; logical decoding ({@link OutputText}) sends the output functions' text as is. */
    private final boolean escaped;
    private byte[] unescaped = new byte[256];
    /** Whether the last {@link #value} is a String of printable ASCII with nothing JSON escapes. */
    private boolean valuePlain;
    /** {@link #plainColumns()}: bit i set for such a value in column i (the first 64 columns). */
    private long plainColumns;

    CopyText(List<ColumnInfo> columns, TimestampUtils timestamps) {
        this(columns, timestamps, true);
    }

    CopyText(List<ColumnInfo> columns, TimestampUtils timestamps, boolean escaped) {
        this.columns = columns;
        this.timestamps = timestamps;
        this.escaped = escaped;
    }

    static boolean decodes(ColumnInfo column) {
        return column.typeName() != null && TYPES.contains(column.typeName().toLowerCase(Locale.ROOT));
    }

    /** The canonical values of a line (which ends with its newline). */
    Object[] decode(byte[] line) {
        Object[] values = new Object[columns.size()];
        long plainBits = 0;
        int end = line.length > 0 && line[line.length - 1] == '\n' ? line.length - 1 : line.length;
        int from = 0;
        for (int i = 0; i < values.length; i++) {
            int to = nextTab(line, from, end);
            if (to == end && i < values.length - 1 || to < end && i == values.length - 1) {
                throw new SourceException("COPY returned a line with an unexpected number of fields");
            }
            values[i] = value(line, from, to, columns.get(i));
            if (valuePlain && i < Long.SIZE) {
                plainBits |= 1L << i;
            }
            from = to + 1;
        }
        plainColumns = plainBits;
        return values;
    }

    /**
     * The first tab in {@code b[from, end)}, or {@code end}: eight bytes per step (a tab in a field
     * is always escaped, so tabs are exactly the separators).
     */
    static int nextTab(byte[] b, int from, int end) {
        int i = from;
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            long m = zeroBytes((long) LONGS.get(b, i) ^ TABS);
            if (m != 0) {
                return i + (Long.numberOfTrailingZeros(m) >>> 3);
            }
        }
        while (i < end && b[i] != TAB) {
            i++;
        }
        return i;
    }

    /**
     * The high bit of each zero byte of {@code x}; exact up to its lowest zero byte (a borrow can
     * mark bytes above it), which is all that is read of it here.
     */
    private static long zeroBytes(long x) {
        return (x - ONES) & ~x & HIGHS;
    }

    /**
     * Whether {@code b[from, to)} is printable ASCII with no quote or backslash: a String of it is
     * written into JSON as it is. Eight bytes per step.
     */
    static boolean printable(byte[] b, int from, int to) {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long x = (long) LONGS.get(b, i);
            // below 0x20 or from 0x80 up, a quote, a backslash: any of them marks some byte
            if ((((x - SPACES) | x | zeroBytes(x ^ QUOTES) | zeroBytes(x ^ BACKSLASHES)) & HIGHS) != 0) {
                return false;
            }
        }
        for (; i < to; i++) {
            byte c = b[i];
            if (c < 0x20 || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /**
     * Of the line {@link #decode} read last, the columns (bit i for column i, the first 64) whose
     * value is a String of printable ASCII that JSON writes as it is, between quotes: the encoder
     * copies those without looking at each character ({@link CapturedRow#plainText()}).
     */
    long plainColumns() {
        return plainColumns;
    }

    Object value(byte[] b, int from, int to, ColumnInfo column) {
        valuePlain = false;
        if (escaped && to - from == 2 && b[from] == '\\' && b[from + 1] == 'N') {
            return null;
        }
        try {
            return switch (column.kind()) {
                case INTEGER -> integer(b, from, to);
                case DECIMAL -> plain(decimal(b, from, to)); // digits, '-' and '.' either way
                case FLOAT -> {
                    // the driver reads real columns as floats, widened: 1.1 becomes 1.100000023841858
                    String t = ascii(b, from, to);
                    double v = "float4".equalsIgnoreCase(column.typeName()) ? Float.parseFloat(t) : Double.parseDouble(t);
                    yield Double.isFinite(v) ? (Object) v : Double.toString(v);
                }
                case BOOLEAN -> bool(ascii(b, from, to));
                case DATE -> to - from == 10 && dateShape(b, from) ? plain(ascii(b, from, to))
                        : timestamps.toLocalDate(bytes(b, from, to)).toString();
                case TIME -> time(b, from, to);
                case TIMESTAMP -> timestamp(b, from, to, false);
                case TIMESTAMP_TZ -> timestamp(b, from, to, true);
                case BINARY -> plain(Base64.getEncoder().encodeToString(PGbytea.toBytes(
                        escaped ? unescape(b, from, to) : bytes(b, from, to))));
                default -> text(b, from, to);
            };
        } catch (SQLException | RuntimeException e) {
            if (e instanceof SourceException se) {
                throw se;
            }
            throw new SourceException("reading from the source failed: column \"" + column.name()
                    + "\": cannot read the value as " + column.typeName() + ": " + e.getMessage(), e);
        }
    }

    private static Long integer(byte[] b, int from, int to) {
        int i = from;
        boolean negative = b[i] == '-';
        if (negative) {
            i++;
        }
        if (i == to || to - i > 18) {
            return Long.parseLong(ascii(b, from, to)); // the edge of the range, or the parser's error
        }
        long v = 0;
        for (; i < to; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return Long.parseLong(ascii(b, from, to));
            }
            v = v * 10 + d;
        }
        return negative ? -v : v;
    }

    /** PostgreSQL prints numerics in plain notation with the column's scale: already canonical. */
    private static String decimal(byte[] b, int from, int to) {
        boolean plain = to > from;
        boolean nonZero = false;
        int dots = 0;
        for (int i = b[from] == '-' ? from + 1 : from; i < to && plain; i++) {
            byte c = b[i];
            if (c == '.') {
                dots++;
            } else if (c < '0' || c > '9') {
                plain = false;
            } else if (c != '0') {
                nonZero = true;
            }
        }
        String text = ascii(b, from, to);
        // "-0.00" cannot come from PostgreSQL, but BigDecimal would drop its sign: let it decide
        return plain && dots <= 1 && (nonZero || b[from] != '-') ? text : new BigDecimal(text).toPlainString();
    }

    /** {@code s}, marked as printable ASCII that JSON needs no escape for. */
    private String plain(String s) {
        valuePlain = true;
        return s;
    }

    /** What pgjdbc's getBoolean accepts from text. */
    private static Boolean bool(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "t", "true", "1", "y", "yes", "on" -> Boolean.TRUE;
            case "f", "false", "0", "n", "no", "off" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("not a boolean: " + text);
        };
    }

    private Object time(byte[] b, int from, int to) throws SQLException {
        int len = to - from;
        boolean shaped = len >= 8 && timeShape(b, from) && (b[from] - '0') * 10 + b[from + 1] - '0' < 24
                && (len == 8 || len >= 10 && len <= 15 && b[from + 8] == '.');
        if (shaped) {
            byte[] c = new byte[15];
            System.arraycopy(b, from, c, 0, 8);
            fraction(b, from + 8, to, c, 8);
            return plain(new String(c, StandardCharsets.ISO_8859_1));
        }
        LocalTime v = timestamps.toLocalTime(ascii(b, from, to));
        return v == null ? null : CanonicalValues.time(v);
    }

    /**
     * {@code 2024-05-01 10:15:30[.ffffff][+00]} (the session runs in UTC) to
     * {@code 2024-05-01T10:15:30.ffffff[Z]}; other shapes through the driver's parser.
     */
    private Object timestamp(byte[] b, int from, int to, boolean utc) throws SQLException {
        int end = to;
        boolean shaped = to - from >= 19 && dateShape(b, from) && b[from + 10] == ' ' && timeShape(b, from + 11);
        if (shaped && utc) {
            shaped = to - from >= 22 && b[to - 3] == '+' && b[to - 2] == '0' && b[to - 1] == '0';
            end = to - 3;
        }
        int fraction = end - from - 19;
        shaped = shaped && (fraction == 0 || fraction >= 2 && fraction <= 7 && b[from + 19] == '.');
        if (shaped) {
            // Latin-1 bytes become the String's own array in one copy; a char[] would be compressed char by char
            byte[] c = new byte[utc ? 27 : 26];
            System.arraycopy(b, from, c, 0, 19);
            c[10] = 'T';
            fraction(b, from + 19, end, c, 19);
            if (utc) {
                c[26] = 'Z';
            }
            return plain(new String(c, StandardCharsets.ISO_8859_1));
        }
        byte[] raw = bytes(b, from, to);
        if (utc) {
            OffsetDateTime v = timestamps.toOffsetDateTime(raw);
            return CanonicalValues.timestamp(v.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime(), true);
        }
        LocalDateTime v = timestamps.toLocalDateTime(raw);
        return CanonicalValues.timestamp(v, false);
    }

    /** {@code .f…} (1–6 digits, or nothing) at {@code b[from, to)} as {@code .ffffff} at {@code c[at]}. */
    private static void fraction(byte[] b, int from, int to, byte[] c, int at) {
        c[at] = '.';
        for (int i = 1; i <= 6; i++) {
            int src = from + i;
            byte d = src < to ? b[src] : (byte) '0';
            if (d < '0' || d > '9') {
                throw new IllegalArgumentException("not a fraction of a second");
            }
            c[at + i] = d;
        }
    }

    private static boolean dateShape(byte[] b, int at) {
        return digits(b, at, 4) && b[at + 4] == '-' && digits(b, at + 5, 2) && b[at + 7] == '-' && digits(b, at + 8, 2);
    }

    private static boolean timeShape(byte[] b, int at) {
        return digits(b, at, 2) && b[at + 2] == ':' && digits(b, at + 3, 2) && b[at + 5] == ':' && digits(b, at + 6, 2);
    }

    private static boolean digits(byte[] b, int at, int n) {
        for (int i = at; i < at + n; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return false;
            }
        }
        return true;
    }

    private static String ascii(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    }

    private static byte[] bytes(byte[] b, int from, int to) {
        return java.util.Arrays.copyOfRange(b, from, to);
    }

    private String text(byte[] b, int from, int to) {
        if (printable(b, from, to)) {
            return plain(new String(b, from, to - from, StandardCharsets.ISO_8859_1));
        }
        for (int i = from; i < to && escaped; i++) {
            if (b[i] == '\\') {
                byte[] u = unescape(b, from, to);
                return new String(u, 0, u.length, StandardCharsets.UTF_8);
            }
        }
        return new String(b, from, to - from, StandardCharsets.UTF_8);
    }

    /**
     * Undoes COPY's text escapes: {@code \\}, {@code \b \f \n \r \t \v}, octal {@code \ooo} and
     * {@code \xhh}; any other escaped character stands for itself.
     */
    private byte[] unescape(byte[] b, int from, int to) {
        if (unescaped.length < to - from) {
            unescaped = new byte[Math.max(to - from, unescaped.length * 2)];
        }
        int n = 0;
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (c != '\\' || i + 1 == to) {
                unescaped[n++] = c;
                continue;
            }
            byte e = b[++i];
            switch (e) {
                case 'b' -> unescaped[n++] = '\b';
                case 'f' -> unescaped[n++] = '\f';
                case 'n' -> unescaped[n++] = '\n';
                case 'r' -> unescaped[n++] = '\r';
                case 't' -> unescaped[n++] = '\t';
                case 'v' -> unescaped[n++] = 0x0b;
                case 'x' -> {
                    int v = 0;
                    int digits = 0;
                    while (digits < 2 && i + 1 < to && Character.digit(b[i + 1], 16) >= 0) {
                        v = v * 16 + Character.digit(b[++i], 16);
                        digits++;
                    }
                    unescaped[n++] = digits == 0 ? (byte) 'x' : (byte) v;
                }
                default -> {
                    if (e >= '0' && e <= '7') {
                        int v = e - '0';
                        for (int k = 0; k < 2 && i + 1 < to && b[i + 1] >= '0' && b[i + 1] <= '7'; k++) {
                            v = v * 8 + b[++i] - '0';
                        }
                        unescaped[n++] = (byte) v;
                    } else {
                        unescaped[n++] = e;
                    }
                }
            }
        }
        return java.util.Arrays.copyOf(unescaped, n);
    }
}
