package dev.exportdesk.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The row digest of a range with PostgreSQL's help, for JSON Lines chunks: PostgreSQL builds each
 * row's JSON line in SQL exactly as the JSON Lines encoder writes it from the canonical values, and
 * the lines are hashed and summed as {@link RowDigest} does — by this JVM when the database is on
 * this host, else by PostgreSQL ({@link SqlChunkDigests#digestBuckets}). Used only where the SQL
 * text is known to be byte-identical to the encoder's: integer, decimal, boolean, string, date and
 * timestamp columns; no string holding a control character other than tab, LF or CR (Jackson and
 * PostgreSQL write those escapes differently) or a character beyond U+FFFF (Jackson writes a
 * surrogate-pair escape); dates in years 1–9999. Anything else returns empty and the caller streams
 * the rows through the encoder instead.
 */
public final class SqlRangeDigest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** The digest of no rows. */
    static final Digest NONE = new Digest(0, new RowDigest().hex());

    private SqlRangeDigest() {
    }

    /** Row count and digest (32 hex digits, as {@code RowDigest.hex()}). */
    public record Digest(long rows, String hex) {
    }

    public static boolean supported(Connection connection, SourceSchema schema) {
        try {
            if (!"PostgreSQL".equalsIgnoreCase(connection.getMetaData().getDatabaseProductName())) {
                return false;
            }
        } catch (SQLException e) {
            return false;
        }
        for (ColumnInfo c : schema.columns()) {
            switch (c.kind()) {
                case INTEGER, DECIMAL, BOOLEAN, STRING, DATE, TIMESTAMP, TIMESTAMP_TZ -> { }
                default -> {
                    return false;
                }
            }
        }
        return true;
    }

    /** The digest of the rows with {@code from <= tuple <= to} (or {@code < to}); empty when SQL cannot match the encoder. */
    public static Optional<Digest> digest(Connection connection, SourceSchema schema, List<String> outputNames,
                                          Object[] from, Object[] to, boolean toInclusive) {
        if (!supported(connection, schema)) {
            return Optional.empty();
        }
        Identifiers ids;
        try {
            ids = new Identifiers(connection.getMetaData());
        } catch (SQLException e) {
            return Optional.empty();
        }
        RowSql row = rowSql(schema, outputNames, ids);

        List<String> where = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        if (from != null) {
            SourceSql.tupleCondition(where, params, ">=", from, schema, ids);
        }
        if (to != null) {
            SourceSql.tupleCondition(where, params, toInclusive ? "<=" : "<", to, schema, ids);
        }
        String sql = "SELECT " + row.columns() + ", 0 AS b FROM " + schema.relationSql() + SourceSql.where(where);
        Map<Integer, Digest> out = new HashMap<>();
        Set<Integer> guarded = new HashSet<>();
        try {
            SqlChunkDigests.digestBuckets(connection, row, sql, params, out, guarded);
        } catch (SQLException e) {
            throw new SourceException("cannot compute a range digest in the source: " + e.getMessage() + " [" + sql
                    + "]", e);
        }
        return guarded.isEmpty() ? Optional.of(out.getOrDefault(0, NONE)) : Optional.empty();
    }

    /**
     * One row's JSON line in SQL, in two levels: {@code columns} is the select list of an inner
     * query over the relation (each column as {@code c<i>}, and each string column's JSON text as
     * {@code j<i>}, computed once there), {@code line} and {@code guard} are expressions over those
     * names in the query around it. {@code guard} is true for a row whose line SQL cannot write as
     * the encoder does.
     */
    record RowSql(String columns, String line, String guard) {
    }

    static RowSql rowSql(SourceSchema schema, List<String> outputNames, Identifiers ids) {
        StringJoiner columns = new StringJoiner(", ");
        StringBuilder line = new StringBuilder();
        List<String> guards = new ArrayList<>();
        List<ColumnInfo> cols = schema.columns();
        for (int i = 0; i < cols.size(); i++) {
            ColumnInfo c = cols.get(i);
            String q = ids.quote(c.name());
            String v = "c" + i;
            columns.add(q + " AS " + v);
            line.append(i == 0 ? "" : " || ").append(literal((i == 0 ? "{" : ",") + jsonString(outputNames.get(i)) + ":"))
                    .append(" || ");
            if (c.kind() == ValueKind.STRING) {
                String j = "j" + i;
                columns.add("to_json(" + q + ")::text AS " + j);
                line.append("COALESCE(").append(j).append(", 'null')");
                guards.add(stringGuard(v, j));
            } else {
                line.append(value(c, v));
                if (c.kind().temporal()) {
                    guards.add("NOT (" + v + " BETWEEN '0001-01-01' AND '9999-12-31')");
                }
            }
        }
        line.append(" || ").append(ending(schema));
        return new RowSql(columns.toString(), line.toString(), guards.isEmpty() ? "false" : String.join(" OR ", guards));
    }

    /**
     * True for a string holding a control character other than tab, LF or CR (Jackson and PostgreSQL
     * write those escapes differently) or a character beyond U+FFFF (Jackson writes a surrogate-pair
     * escape). The regular expression that decides it cost about a sixth of the statement's CPU, so it
     * runs only where it could be true: {@code to_json} escapes every control character, making the
     * JSON text longer than the string and its two quotes, and a character beyond U+FFFF makes the
     * string's UTF-8 bytes outnumber its characters. A string with neither sign is ASCII without
     * escapes, for which the expression is false.
     */
    private static String stringGuard(String v, String j) {
        String text = v + "::text";
        return "((octet_length(" + j + ") <> octet_length(" + text + ") + 2 OR octet_length(" + text + ") <> length("
                + text + ")) AND " + text + " ~ '[\\x01-\\x08\\x0b\\x0c\\x0e-\\x1f\\U00010000-\\U0010ffff]')";
    }

    /** For diagnosis: the SQL of one row's JSON line over {@code schema}'s relation. */
    public static String lineQuery(Connection connection, SourceSchema schema, List<String> outputNames)
            throws SQLException {
        Identifiers ids = new Identifiers(connection.getMetaData());
        RowSql row = rowSql(schema, outputNames, ids);
        return "SELECT " + row.line() + " FROM (SELECT " + row.columns() + " FROM " + schema.relationSql()
                + " ORDER BY " + SourceSql.orderBy(schema, ids) + " OFFSET 0) r";
    }

    /** The JSON text of one non-string column's canonical value, as the JSON Lines encoder writes it. */
    private static String value(ColumnInfo c, String q) {
        String v = switch (c.kind()) {
            case INTEGER -> q + "::text";
            case DECIMAL -> "'\"' || " + q + "::text || '\"'";
            case BOOLEAN -> "CASE WHEN " + q + " IS NULL THEN NULL WHEN " + q + " THEN 'true' ELSE 'false' END";
            case DATE -> "'\"' || to_char(" + q + ", 'YYYY-MM-DD') || '\"'";
            case TIMESTAMP -> "'\"' || to_char(" + q + ", 'YYYY-MM-DD\"T\"HH24:MI:SS.US') || '\"'";
            case TIMESTAMP_TZ -> "'\"' || to_char(" + q + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') || '\"'";
            default -> throw new IllegalStateException(c.kind().name());
        };
        return "COALESCE(" + v + ", 'null')";
    }

    /**
     * The line's end: {@code ,"_op":"upsert"}} or {@code "delete"}, as {@code KeysetScan} decides it
     * from the soft-delete column, the brace and the newline, as one literal (each {@code ||} costs a
     * copy of the line so far, per row).
     */
    private static String ending(SourceSchema schema) {
        String upsert = literal(",\"_op\":\"upsert\"}\n");
        if (schema.softDeleteIndex() < 0) {
            return upsert;
        }
        ColumnInfo m = schema.columns().get(schema.softDeleteIndex());
        String q = "c" + schema.softDeleteIndex();
        String deleted = switch (m.kind()) {
            case BOOLEAN -> q + " IS NOT NULL AND " + q;
            case INTEGER -> q + " IS NOT NULL AND " + q + " <> 0";
            default -> q + " IS NOT NULL";
        };
        return "CASE WHEN " + deleted + " THEN " + literal(",\"_op\":\"delete\"}\n") + " ELSE " + upsert + " END";
    }

    private static String jsonString(String s) {
        try {
            return MAPPER.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
