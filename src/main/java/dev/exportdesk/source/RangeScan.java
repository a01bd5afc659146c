package dev.exportdesk.source;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * Re-reads a slice of the ordered source for reconciliation: rows whose ordering tuple lies in
 * {@code [from, to]} or {@code [from, to)}, in (cursor…, key…) order, streamed with a fetch size;
 * and single rows by key. Comparisons happen in SQL, as in {@link KeysetScan}.
 */
public final class RangeScan implements AutoCloseable {
    private final SourceSchema schema;
    private final Connection connection;
    private final PreparedStatement statement;
    private final ResultSet rows;
    private final boolean restoreAutoCommit;

    private RangeScan(SourceSchema schema, Connection connection, PreparedStatement statement, ResultSet rows,
                      boolean restoreAutoCommit) {
        this.schema = schema;
        this.connection = connection;
        this.statement = statement;
        this.rows = rows;
        this.restoreAutoCommit = restoreAutoCommit;
    }

    /** Rows with {@code from <= tuple} (no lower bound when null) and {@code tuple <= to} or {@code < to}. */
    public static RangeScan open(Connection connection, SourceSchema schema, Object[] from, Object[] to,
                                 boolean toInclusive, int fetchSize) {
        Identifiers ids = ids(connection);
        List<ColumnInfo> order = schema.orderColumns();
        StringJoiner tuple = new StringJoiner(", ", "(", ")");
        StringJoiner marks = new StringJoiner(", ", "(", ")");
        for (ColumnInfo c : order) {
            tuple.add(ids.quote(c.name()));
            marks.add("?");
        }
        List<String> where = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        if (from != null) {
            where.add(tuple + " >= " + marks);
            params.addAll(List.of(CursorCodec.toParameters(from, order)));
        }
        if (to != null) {
            where.add(tuple + (toInclusive ? " <= " : " < ") + marks);
            params.addAll(List.of(CursorCodec.toParameters(to, order)));
        }
        String orderBy = String.join(", ", order.stream().map(c -> ids.quote(c.name())).toList());
        return query(connection, schema, select(schema, ids) + (where.isEmpty() ? "" : " WHERE "
                + String.join(" AND ", where)) + " ORDER BY " + orderBy, params, fetchSize);
    }

    /** The row with this key now, or null when there is none (canonical key values, contract key order). */
    public static CapturedRow byKey(Connection connection, SourceSchema schema, Object[] key) {
        Identifiers ids = ids(connection);
        List<String> where = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        int[] idx = schema.keyIndexes();
        for (int i = 0; i < idx.length; i++) {
            ColumnInfo c = schema.columns().get(idx[i]);
            where.add(ids.quote(c.name()) + " = ?");
            params.add(CanonicalValues.toParameter(key[i], c.kind()));
        }
        try (RangeScan scan = query(connection, schema, select(schema, ids) + " WHERE " + String.join(" AND ", where),
                params, 2)) {
            return scan.next();
        }
    }

    private static Identifiers ids(Connection connection) {
        try {
            return new Identifiers(connection.getMetaData());
        } catch (SQLException e) {
            throw new SourceException("cannot read source metadata: " + e.getMessage(), e);
        }
    }

    private static String select(SourceSchema schema, Identifiers ids) {
        StringJoiner select = new StringJoiner(", ");
        for (ColumnInfo c : schema.columns()) {
            select.add(ids.quote(c.name()));
        }
        return "SELECT " + select + " FROM " + schema.relationSql();
    }

    private static RangeScan query(Connection connection, SourceSchema schema, String sql, List<Object> params,
                                   int fetchSize) {
        PreparedStatement st = null;
        boolean autoCommit = false;
        try {
            autoCommit = connection.getAutoCommit();
            if (autoCommit) {
                connection.setAutoCommit(false); // PostgreSQL streams only inside a transaction
            }
            st = connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
            st.setFetchSize(fetchSize);
            for (int i = 0; i < params.size(); i++) {
                st.setObject(i + 1, params.get(i));
            }
            return new RangeScan(schema, connection, st, st.executeQuery(), autoCommit);
        } catch (SQLException e) {
            if (st != null) {
                try {
                    st.close();
                } catch (SQLException ignored) {
                    // reporting the original error
                }
            }
            throw new SourceException("cannot read from the source: " + e.getMessage() + " [" + sql + "]", e);
        }
    }

    /** The next row, or null at the end. */
    public CapturedRow next() {
        try {
            if (!rows.next()) {
                return null;
            }
            List<ColumnInfo> cols = schema.columns();
            Object[] values = new Object[cols.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = CanonicalValues.read(rows, i + 1, cols.get(i).kind());
            }
            boolean delete = false;
            if (schema.softDeleteIndex() >= 0) {
                Object marker = values[schema.softDeleteIndex()];
                delete = marker != null && !Boolean.FALSE.equals(marker) && !Long.valueOf(0).equals(marker);
            }
            return new CapturedRow(values, delete);
        } catch (SQLException e) {
            throw new SourceException("reading from the source failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            rows.close();
            statement.close();
        } catch (SQLException ignored) {
            // read-only
        }
        try {
            connection.rollback();
            if (restoreAutoCommit) {
                connection.setAutoCommit(true);
            }
        } catch (SQLException ignored) {
            // read-only transaction; nothing to lose
        }
    }
}
