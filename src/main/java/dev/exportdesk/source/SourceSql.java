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

    /** Adds {@code (ordering tuple) <op> (bound…)} to {@code where}, binding {@code bound} in {@code params}. */
    static void tupleCondition(List<String> where, List<Object> params, String op, Object[] bound,
                               SourceSchema schema, Identifiers ids) {
        List<ColumnInfo> order = schema.orderColumns();
        StringJoiner tuple = new StringJoiner(", ", "(", ")");
        StringJoiner marks = new StringJoiner(", ", "(", ")");
        for (ColumnInfo c : order) {
            tuple.add(ids.quote(c.name()));
            marks.add("?");
        }
        where.add(tuple + " " + op + " " + marks);
        params.addAll(List.of(CursorCodec.toParameters(bound, order)));
    }

    static String where(List<String> conditions) {
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }
}
