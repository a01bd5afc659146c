package dev.exportdesk.source;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams rows in (cursor…, key…) order with a bounded fetch size: a tuple comparison
 * {@code (u, pk) > (?, ?)} means rows that tie on the cursor are neither dropped nor repeated,
 * and memory stays flat whatever the table size.
 */
public final class KeysetScan implements SqlScan {
    private final SourceSchema schema;
    private final PreparedStatement statement;
    private final ResultSet rows;
    private final boolean restoreAutoCommit;
    private final Connection connection;

    private KeysetScan(SourceSchema schema, Connection connection, PreparedStatement statement, ResultSet rows,
                       boolean restoreAutoCommit) {
        this.schema = schema;
        this.connection = connection;
        this.statement = statement;
        this.rows = rows;
        this.restoreAutoCommit = restoreAutoCommit;
    }

    public static KeysetScan open(Connection connection, SourceSchema schema, ScanRange range, int fetchSize) {
        Identifiers ids = SourceSql.ids(connection);
        List<Object> params = new ArrayList<>();
        return query(connection, schema, sql(schema, range, ids, params), params, fetchSize);
    }

    /** Streams the rows {@code sql} selects (the schema's columns, in order) with a bounded fetch size. */
    static KeysetScan query(Connection connection, SourceSchema schema, String sql, List<Object> params,
                            int fetchSize) {
        boolean autoCommit = false;
        PreparedStatement st = null;
        try {
            // PostgreSQL only streams with a cursor inside a transaction; other drivers don't mind.
            autoCommit = connection.getAutoCommit();
            if (autoCommit) {
                connection.setAutoCommit(false);
            }
            st = connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
            st.setFetchSize(fetchSize);
            for (int i = 0; i < params.size(); i++) {
                st.setObject(i + 1, params.get(i));
            }
            ResultSet rs = st.executeQuery();
            return new KeysetScan(schema, connection, st, rs, autoCommit);
        } catch (SQLException e) {
            closeQuietly(st);
            throw new SourceException("cannot read from the source: " + e.getMessage() + " [" + sql + "]", e);
        }
    }

    static String sql(SourceSchema schema, ScanRange range, Identifiers ids, List<Object> params) {
        return sql(schema, range, ids, SourceSql.jdbc(params));
    }

    static String sql(SourceSchema schema, ScanRange range, Identifiers ids, SourceSql.Binder params) {
        List<ColumnInfo> order = schema.orderColumns();
        List<String> where = new ArrayList<>();
        if (range.after() != null) {
            SourceSql.tupleCondition(where, params, ">", range.after(), schema, ids);
        } else if (range.leadingFrom() != null) {
            where.add(ids.quote(order.get(0).name()) + " >= "
                    + params.bind(CanonicalValues.toParameter(range.leadingFrom(), order.get(0).kind()), order.get(0)));
        }
        if (range.upTo() != null) {
            SourceSql.tupleCondition(where, params, "<=", range.upTo(), schema, ids);
        }
        if (range.leadingTo() != null) {
            where.add(ids.quote(order.get(0).name()) + " <= "
                    + params.bind(CanonicalValues.toParameter(range.leadingTo(), order.get(0).kind()), order.get(0)));
        }
        return SourceSql.select(schema, ids) + SourceSql.where(where) + " ORDER BY " + SourceSql.orderBy(schema, ids);
    }

    @Override
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
            return CapturedRow.of(values, schema);
        } catch (SQLException e) {
            throw new SourceException("reading from the source failed: " + e.getMessage(), e);
        } catch (java.time.DateTimeException e) {
            // e.g. a timestamptz of 'infinity': the driver's value has no canonical form
            throw new SourceException("reading from the source failed: a date/time value out of range: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            rows.close();
        } catch (SQLException ignored) {
            // the statement close below releases it as well
        }
        closeQuietly(statement);
        try {
            connection.rollback();
            if (restoreAutoCommit) {
                connection.setAutoCommit(true);
            }
        } catch (SQLException ignored) {
            // read-only transaction; nothing to lose
        }
    }

    private static void closeQuietly(PreparedStatement st) {
        if (st != null) {
            try {
                st.close();
            } catch (SQLException ignored) {
                // nothing useful to add to the error being reported
            }
        }
    }
}
