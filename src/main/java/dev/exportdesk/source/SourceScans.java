package dev.exportdesk.source;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens ordered scans of a source: through {@code COPY} on PostgreSQL where every column and bound
 * has a decoder ({@link PgCopyScan}), otherwise as a JDBC cursor ({@link KeysetScan}). Both give the
 * same canonical rows in the same order.
 */
public final class SourceScans {
    private SourceScans() {
    }

    /** The rows of {@code range}, in (cursor…, key…) order. */
    public static SqlScan ordered(Connection connection, SourceSchema schema, ScanRange range, int fetchSize) {
        return read(connection, schema, (ids, params) -> KeysetScan.sql(schema, range, ids, params), fetchSize);
    }

    static SqlScan read(Connection connection, SourceSchema schema, PgCopyScan.ScanQuery query, int fetchSize) {
        return PgCopyScan.open(connection, schema, query).orElseGet(() -> {
            List<Object> params = new ArrayList<>();
            String sql = query.sql(SourceSql.ids(connection), SourceSql.jdbc(params));
            return KeysetScan.query(connection, schema, sql, params, fetchSize);
        });
    }
}
