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

    /** The canonical value of column {@code index} whose text is {@code b[from, to)} (UTF-8). */
    public Object decode(int index, byte[] b, int from, int to) {
        return text.value(b, from, to, columns.get(index));
    }
}
