package dev.exportdesk.source;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.StringJoiner;

/**
 * The SQL every source read shares: the quoted select list, the ordering clause and conditions on
 * the ordering tuple ({@code (u, pk) > (?, ?)}). Values are always bound as parameters.
 */
final class SourceSql {
    private SourceSql() {
    }

    static Identifiers ids(Connection connection) {
        try {
            return new Identifiers(connection.getMetaData());
        } catch (SQLException e) {
            throw new SourceException("cannot read source metadata: " + e.getMessage(), e);
        }
    }

    /** {@code SELECT <exported columns> FROM <relation>}. */
    static String select(SourceSchema schema, Identifiers ids) {
        StringJoiner select = new StringJoiner(", ");
        for (ColumnInfo c : schema.columns()) {
            select.add(ids.quote(c.name()));
        }
        return "SELECT " + select + " FROM " + schema.relationSql();
    }

    static String orderBy(SourceSchema schema, Identifiers ids) {
        StringJoiner orderBy = new StringJoiner(", ");
        for (ColumnInfo c : schema.orderColumns()) {
            orderBy.add(ids.quote(c.name()));
        }
        return orderBy.toString();
    }

    /**
     * Where a bound value goes in the SQL text. JDBC binds {@code ?}; COPY takes no parameters, so
     * {@link PgCopyScan} binds values to transaction-local settings instead (never spliced as text).
     */
    interface Binder {
        /** Records {@code parameter} (a JDBC parameter of {@code column}'s type) and returns its placeholder. */
        String bind(Object parameter, ColumnInfo column);
    }

    static Binder jdbc(List<Object> params) {
        return (parameter, column) -> {
            params.add(parameter);
            return "?";
        };
    }

    /** Adds {@code (ordering tuple) <op> (bound…)} to {@code where}, binding {@code bound} in {@code params}. */
    static void tupleCondition(List<String> where, List<Object> params, String op, Object[] bound,
                               SourceSchema schema, Identifiers ids) {
        tupleCondition(where, jdbc(params), op, bound, schema, ids);
    }

    static void tupleCondition(List<String> where, Binder params, String op, Object[] bound,
                               SourceSchema schema, Identifiers ids) {
        List<ColumnInfo> order = schema.orderColumns();
        Object[] values = CursorCodec.toParameters(bound, order);
        StringJoiner tuple = new StringJoiner(", ", "(", ")");
        StringJoiner marks = new StringJoiner(", ", "(", ")");
        for (int i = 0; i < order.size(); i++) {
            tuple.add(ids.quote(order.get(i).name()));
            marks.add(params.bind(values[i], order.get(i)));
        }
        where.add(tuple + " " + op + " " + marks);
    }

    static String where(List<String> conditions) {
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }
}
