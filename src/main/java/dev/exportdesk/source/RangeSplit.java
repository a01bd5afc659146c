package dev.exportdesk.source;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * Split points of a range for a parallel backfill: the ordering tuples of every {@code step}-th row
 * in (cursor…, key…) order, found by the database in one ordered pass over the ordering columns
 * (an index-only scan where the key is indexed). The points only decide where the key ranges meet:
 * the ranges cover the whole range whatever the rows do meanwhile, so rows written between the count
 * and this query make the ranges uneven, never leaky.
 */
public final class RangeSplit {
    private RangeSplit() {
    }

    /** Up to {@code parts − 1} ascending split points of about {@code rows / parts} rows each. */
    public static List<Object[]> points(Connection connection, SourceSchema schema, ScanRange range, long rows,
                                        int parts) {
        if (parts < 2 || rows < parts) {
            return List.of();
        }
        Identifiers ids = SourceSql.ids(connection);
        List<Object> params = new ArrayList<>();
        String scan = KeysetScan.sql(schema, range, ids, params);
        String where = scan.substring(SourceSql.select(schema, ids).length(), scan.lastIndexOf(" ORDER BY "));
        StringJoiner cols = new StringJoiner(", ");
        schema.orderColumns().forEach(c -> cols.add(ids.quote(c.name())));
        long step = (rows + parts - 1) / parts;
        String sql = "SELECT " + cols + " FROM (SELECT " + cols + ", ROW_NUMBER() OVER (ORDER BY "
                + SourceSql.orderBy(schema, ids) + ") AS exportdesk_rn FROM " + schema.relationSql() + where
                + ") q WHERE MOD(exportdesk_rn, " + step + ") = 0 ORDER BY exportdesk_rn FETCH FIRST " + (parts - 1)
                + " ROWS ONLY";
        List<Object[]> out = new ArrayList<>();
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                st.setObject(i + 1, params.get(i));
            }
            try (ResultSet rs = st.executeQuery()) {
                List<ColumnInfo> order = schema.orderColumns();
                while (rs.next()) {
                    Object[] tuple = new Object[order.size()];
                    for (int i = 0; i < tuple.length; i++) {
                        tuple[i] = CanonicalValues.read(rs, i + 1, order.get(i).kind());
                    }
                    out.add(tuple);
                }
            }
        } catch (SQLException e) {
            throw new SourceException("cannot split the source range for a parallel backfill: " + e.getMessage(), e);
        } finally {
            try {
                if (!connection.getAutoCommit()) {
                    connection.rollback();
                }
            } catch (SQLException ignored) {
                // read-only; nothing to undo
            }
        }
        return out;
    }
}
