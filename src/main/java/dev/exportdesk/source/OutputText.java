package dev.exportdesk.source;

import java.sql.Types;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.postgresql.jdbc.TimestampUtils;

/**
 * Canonical values from the text a column type's output function prints, as PostgreSQL's logical
 * decoding (pgoutput) sends it: the same conversions as the COPY reader ({@link CopyText}), minus
 * COPY's escaping, so a row read from the log is the same bytes as the row read by a scan
 * ({@code PgOutputDecoderTest} compares the two paths value by value).
 */
public final class OutputText {
    /**
     * Kinds whose JDBC reading is {@code getString}, i.e. the output text itself: such columns of
     * other types (enums, arrays, intervals, inet, …) decode as their text too.
     */
    private static final Set<ValueKind> AS_TEXT = Set.of(ValueKind.STRING, ValueKind.OTHER);
    /** Of those, the ones pgjdbc fetches in binary by default and prints in its own notation. */
    private static final Set<String> DRIVER_BINARY = Set.of("point", "box");

    private final CopyText text;
    private final List<ColumnInfo> columns;

    public OutputText(List<ColumnInfo> columns, TimestampUtils timestamps) {
        this.columns = List.copyOf(columns);
        this.text = new CopyText(this.columns, timestamps, false);
    }

    /**
     * Whether values of this column decode exactly as the scans read them: the types COPY decodes,
     * and types the scans read as their text. Others are converted by the driver in ways not repeated
     * here, so logical capture refuses them: money and timetz (read as a number and a time), and
     * arrays, points and boxes, which the driver may fetch in binary and print in its own notation
     * ({@code {"1","2"}} for the server's {@code {1,2}}, {@code (1.5,2.0)} for {@code (1.5,2)}).
     */
    public static boolean decodes(ColumnInfo column) {
        String type = column.typeName() == null ? "" : column.typeName().toLowerCase(Locale.ROOT);
        return CopyText.decodes(column)
                || AS_TEXT.contains(column.kind()) && column.jdbcType() != Types.ARRAY && !type.startsWith("_")
                && !DRIVER_BINARY.contains(type);
    }

    /** PostgreSQL's numeric output: at most 131072 digits before the point and 16383 after. */
    private static final int MAX_NUMERIC_CHARS = 131_072 + 16_383 + 2;

    /** The canonical value of column {@code index} whose text is {@code b[from, to)} (UTF-8). */
    public Object decode(int index, byte[] b, int from, int to) {
        ColumnInfo column = columns.get(index);
        if (column.kind() == ValueKind.DECIMAL && !plainNumber(b, from, to)) {
            // the stream is input: "1e2147483647" would make the exact conversion build a 2 GB string
            throw new SourceException("reading from the source failed: column \"" + column.name() + "\": not a "
                    + column.typeName() + " value as PostgreSQL prints one");
        }
        return text.value(b, from, to, column);
    }

    /** {@code -?digits[.digits]} of a bounded length, or NaN (which the scans refuse too). */
    private static boolean plainNumber(byte[] b, int from, int to) {
        int len = to - from;
        if (len == 3 && b[from] == 'N' && b[from + 1] == 'a' && b[from + 2] == 'N') {
            return true;
        }
        int i = from < to && b[from] == '-' ? from + 1 : from;
        int digits = 0;
        int dots = 0;
        for (; i < to; i++) {
            if (b[i] == '.' && digits > 0 && dots == 0) {
                dots++;
            } else if (b[i] >= '0' && b[i] <= '9') {
                digits++;
            } else {
                return false;
            }
        }
        return digits > 0 && len <= MAX_NUMERIC_CHARS && b[to - 1] != '.';
    }
}
