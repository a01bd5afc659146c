package dev.exportdesk.source;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;
import org.postgresql.core.BaseConnection;

/**
 * Streams a PostgreSQL keyset scan through {@code COPY (SELECT …) TO STDOUT} instead of a cursor:
 * one text line per row, decoded straight into canonical values by {@link CopyText} (BENCHMARKS.md:
 * the driver's per-row objects and timestamp parsing were most of the reader thread's time).
 *
 * <p>COPY takes no bind parameters, and bound values are never spliced into SQL text: each goes into
 * a transaction-local setting through an ordinary prepared {@code set_config(…, ?, true)}, and the
 * query reads it back with {@code current_setting(…)} cast to an allow-listed type. The scan runs in
 * its own transaction with {@code TimeZone} UTC (so timestamps arrive in the canonical zone), and is
 * one statement, so it sees one snapshot — as the cursor did.
 */
public final class PgCopyScan implements SqlScan {
    /** JDBC parameter classes and the SQL types their text is cast back to. */
    private static final Map<Class<?>, String> CASTS = Map.of(Long.class, "int8", BigDecimal.class, "numeric",
            LocalDate.class, "date", LocalDateTime.class, "timestamp", OffsetDateTime.class, "timestamptz",
            Boolean.class, "bool");

    private static final long DRAIN_NANOS = 1_000_000_000L;

    private final Connection connection;
    private final SourceSchema schema;
    private final CopyOut copy;
    private final CopyText text;
    private final boolean restoreAutoCommit;

    private PgCopyScan(Connection connection, SourceSchema schema, CopyOut copy, CopyText text,
                       boolean restoreAutoCommit) {
        this.connection = connection;
        this.schema = schema;
        this.copy = copy;
        this.text = text;
        this.restoreAutoCommit = restoreAutoCommit;
    }

    /**
     * A COPY scan of what {@code query} selects, or empty where this source or its columns are not
     * ones COPY's text is decoded for (then the caller reads through JDBC).
     */
    static Optional<SqlScan> open(Connection connection, SourceSchema schema, ScanQuery query) {
        if (!postgres(connection) || !schema.columns().stream().allMatch(CopyText::decodes)) {
            return Optional.empty();
        }
        Identifiers ids = SourceSql.ids(connection);
        List<String> values = new ArrayList<>();
        String select;
        try {
            select = query.sql(ids, (parameter, column) -> placeholder(parameter, column, values));
        } catch (UnsupportedBound e) {
            return Optional.empty();
        }
        boolean autoCommit = false;
        try {
            autoCommit = connection.getAutoCommit();
            if (autoCommit) {
                connection.setAutoCommit(false);
            }
            try (Statement st = connection.createStatement()) {
                st.execute("SET LOCAL TimeZone = 'UTC'");
            }
            bind(connection, values);
            BaseConnection pg = connection.unwrap(BaseConnection.class);
            CopyOut copy = connection.unwrap(PGConnection.class).getCopyAPI()
                    .copyOut("COPY (" + select + ") TO STDOUT");
            return Optional.of(new PgCopyScan(connection, schema, copy,
                    new CopyText(schema.columns(), pg.getTimestampUtils()), autoCommit));
        } catch (SQLException e) {
            end(connection, autoCommit);
            throw new SourceException("cannot read from the source: " + e.getMessage() + " [" + select + "]", e);
        }
    }

    private static boolean postgres(Connection connection) {
        try {
            return connection.isWrapperFor(PGConnection.class) && connection.isWrapperFor(BaseConnection.class);
        } catch (SQLException e) {
            return false;
        }
    }

    private static String placeholder(Object parameter, ColumnInfo column, List<String> values) {
        String cast = parameter instanceof String ? stringCast(column) : CASTS.get(parameter.getClass());
        if (cast == null) {
            throw new UnsupportedBound();
        }
        String text = parameter instanceof BigDecimal d ? d.toPlainString() : parameter.toString();
        values.add(text);
        // the name is ours and the type comes from the allow-list above: nothing from the contract
        return "current_setting('exportdesk.bound_" + (values.size() - 1) + "')::" + cast;
    }

    /** Text compares with varchar and text columns by the column's own collation, index and all. */
    private static String stringCast(ColumnInfo column) {
        String type = column.typeName() == null ? "" : column.typeName().toLowerCase(Locale.ROOT);
        return type.equals("text") || type.equals("varchar") ? "text" : null;
    }

    private static void bind(Connection connection, List<String> values) throws SQLException {
        if (values.isEmpty()) {
            return;
        }
        StringJoiner select = new StringJoiner(", ", "SELECT ", "");
        for (int i = 0; i < values.size(); i++) {
            select.add("set_config('exportdesk.bound_" + i + "', ?, true)");
        }
        try (PreparedStatement st = connection.prepareStatement(select.toString())) {
            for (int i = 0; i < values.size(); i++) {
                st.setString(i + 1, values.get(i));
            }
            st.executeQuery().close();
        }
    }

    @Override
    public CapturedRow next() {
        try {
            byte[] line = copy.readFromCopy();
            return line == null ? null : CapturedRow.of(text.decode(line), schema, text.plainColumns());
        } catch (SQLException e) {
            throw new SourceException("reading from the source failed: " + e.getMessage(), e);
        }
    }

    /**
     * A COPY cannot be stopped cleanly half-way: pgjdbc's cancelCopy races with the server's last
     * messages and left the connection out of step in tests. So the rest is read and dropped for up
     * to {@link #DRAIN_NANOS} (a failed row near the end of a range, a short range), and a longer
     * rest aborts the connection — only a failed or cancelled scan stops early, and its run or
     * verification ends with it.
     */
    @Override
    public void close() {
        long deadline = System.nanoTime() + DRAIN_NANOS;
        try {
            while (copy.isActive() && copy.readFromCopy() != null) {
                if (System.nanoTime() > deadline) {
                    connection.abort(Runnable::run);
                    return;
                }
            }
        } catch (SQLException ignored) {
            // the rollback below ends the transaction whatever state the copy was left in
        }
        end(connection, restoreAutoCommit);
    }

    private static void end(Connection connection, boolean restoreAutoCommit) {
        try {
            connection.rollback();
            if (restoreAutoCommit) {
                connection.setAutoCommit(true);
            }
        } catch (SQLException ignored) {
            // read-only transaction; nothing to lose
        }
    }

    /** The SQL of a scan, with its bound values placed by the given binder. */
    @FunctionalInterface
    interface ScanQuery {
        String sql(Identifiers ids, SourceSql.Binder params);
    }

    /** A bound value of a type this scan does not cast; the JDBC scan reads the range instead. */
    private static final class UnsupportedBound extends RuntimeException {
        UnsupportedBound() {
            super(null, null, false, false);
        }
    }
}
