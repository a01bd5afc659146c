package dev.exportdesk.source;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

/**
 * Re-reads parts of the source for reconciliation: an ordering-tuple range with inclusive or
 * exclusive ends (through {@link SourceScans}), or one row by key (a {@link KeysetScan}).
 */
public final class RangeScan {
    private RangeScan() {
    }

    /** Rows with {@code from <= tuple} (no lower bound when null) and {@code tuple <= to} or {@code < to}. */
    public static SqlScan open(Connection connection, SourceSchema schema, Object[] from, Object[] to,
                                 boolean toInclusive, int fetchSize) {
        PgCopyScan.ScanQuery query = (ids, params) -> {
            List<String> where = new ArrayList<>();
            if (from != null) {
                SourceSql.tupleCondition(where, params, ">=", from, schema, ids);
            }
            if (to != null) {
                SourceSql.tupleCondition(where, params, toInclusive ? "<=" : "<", to, schema, ids);
            }
            return SourceSql.select(schema, ids) + SourceSql.where(where) + " ORDER BY " + SourceSql.orderBy(schema, ids);
        };
        return SourceScans.read(connection, schema, query, fetchSize);
    }

    /** The row with this key now, or null when there is none (canonical key values, contract key order). */
    public static CapturedRow byKey(Connection connection, SourceSchema schema, Object[] key) {
        Identifiers ids = SourceSql.ids(connection);
        List<String> where = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        int[] idx = schema.keyIndexes();
        for (int i = 0; i < idx.length; i++) {
            ColumnInfo c = schema.columns().get(idx[i]);
            where.add(ids.quote(c.name()) + " = ?");
            params.add(CanonicalValues.toParameter(key[i], c.kind()));
        }
        try (KeysetScan scan = KeysetScan.query(connection, schema, SourceSql.select(schema, ids)
                + SourceSql.where(where), params, 2)) {
            return scan.next();
        }
    }
}
