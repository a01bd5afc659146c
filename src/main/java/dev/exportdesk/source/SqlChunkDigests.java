package dev.exportdesk.source;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@link SqlRangeDigest} of several ordered, disjoint ranges (a run's chunks) in one pass over
 * the source: each row in the span is hashed once and put in the bucket of the range that holds it,
 * and the buckets are summed with one GROUP BY. One statement instead of one per chunk: the
 * planner can read the span in one sequential scan instead of an index range scan per chunk, and
 * the per-statement costs (planning, JIT compilation, a round trip) are paid once. Rows between the
 * ranges belong to no bucket (deep verification re-reads those gaps separately).
 */
public final class SqlChunkDigests {
    private static final BigInteger MOD = BigInteger.ONE.shiftLeft(64);

    private SqlChunkDigests() {
    }

    /** One range, inclusive at both ends, with the id its digest is returned under. */
    public record Range(int id, Object[] from, Object[] to) {
    }

    /**
     * Digests by range id; a range whose rows need the encoder (see {@link SqlRangeDigest}) is left
     * out, as is every range when SQL cannot match the encoder at all. {@code ranges} must be in
     * (cursor, key) order.
     */
    public static Map<Integer, SqlRangeDigest.Digest> digests(Connection connection, SourceSchema schema,
                                                              List<String> outputNames, List<Range> ranges) {
        Map<Integer, SqlRangeDigest.Digest> out = new HashMap<>();
        if (ranges.isEmpty() || !SqlRangeDigest.supported(connection, schema)) {
            return out;
        }
        Identifiers ids;
        try {
            ids = new Identifiers(connection.getMetaData());
        } catch (SQLException e) {
            return out;
        }
        SqlRangeDigest.RowSql row = SqlRangeDigest.rowSql(schema, outputNames, ids);
        List<Object> params = new ArrayList<>();
        Set<Integer> guarded = new HashSet<>();
        StringBuilder bucket = new StringBuilder();
        bucket(bucket, params, ranges, 0, ranges.size() - 1, schema, ids);
        List<String> where = new ArrayList<>();
        SourceSql.tupleCondition(where, params, ">=", ranges.get(0).from(), schema, ids);
        SourceSql.tupleCondition(where, params, "<=", ranges.get(ranges.size() - 1).to(), schema, ids);
        // OFFSET 0 keeps each subquery from being flattened, so each row is hashed once (see SqlRangeDigest)
        String sql = "SELECT b, count(*), coalesce(sum(" + SqlRangeDigest.half(0) + "), 0), coalesce(sum("
                + SqlRangeDigest.half(8) + "), 0), coalesce(bool_or(g), false) FROM (SELECT sha256(convert_to("
                + row.line() + ", 'UTF8')) AS h, (" + row.guard() + ") AS g, b FROM (SELECT " + row.columns() + ", "
                + bucket + " AS b FROM " + schema.relationSql() + SourceSql.where(where)
                + " OFFSET 0) r OFFSET 0) q WHERE b IS NOT NULL GROUP BY b";
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                st.setObject(i + 1, params.get(i));
            }
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    if (rs.getBoolean(5)) {
                        guarded.add(rs.getInt(1));
                    } else {
                        long high = rs.getBigDecimal(3).toBigInteger().mod(MOD).longValue();
                        long low = rs.getBigDecimal(4).toBigInteger().mod(MOD).longValue();
                        out.put(rs.getInt(1), new SqlRangeDigest.Digest(rs.getLong(2),
                                String.format("%016x%016x", high, low)));
                    }
                }
            }
        } catch (SQLException e) {
            throw new SourceException("cannot compute chunk digests in the source: " + e.getMessage(), e);
        } finally {
            try {
                if (!connection.getAutoCommit()) {
                    connection.rollback();
                }
            } catch (SQLException ignored) {
                // read-only
            }
        }
        // an empty range has no group: its digest is that of no rows
        for (Range r : ranges) {
            if (!guarded.contains(r.id())) {
                out.putIfAbsent(r.id(), new SqlRangeDigest.Digest(0, String.format("%016x%016x", 0L, 0L)));
            }
        }
        return out;
    }

    /**
     * The id of the range among {@code ranges[lo..hi]} that holds the row, or NULL for a row between
     * two ranges, for rows above {@code ranges[lo-1]}'s upper bound and at most {@code ranges[hi]}'s:
     * a binary search over the ordered upper bounds, so each row is compared with about log2(n) + 1
     * bounds (the first matching upper bound of a linear CASE cost n/2 + 1, a part of the statement
     * that grew with the run's chunk count). Parameters are added in the order their marks appear.
     */
    private static void bucket(StringBuilder sql, List<Object> params, List<Range> ranges, int lo, int hi,
                               SourceSchema schema, Identifiers ids) {
        List<String> condition = new ArrayList<>();
        if (lo == hi) {
            SourceSql.tupleCondition(condition, params, ">=", ranges.get(lo).from(), schema, ids);
            sql.append("CASE WHEN ").append(condition.get(0)).append(" THEN ").append(ranges.get(lo).id())
                    .append(" END");
            return;
        }
        int mid = (lo + hi) / 2;
        SourceSql.tupleCondition(condition, params, "<=", ranges.get(mid).to(), schema, ids);
        sql.append("CASE WHEN ").append(condition.get(0)).append(" THEN ");
        bucket(sql, params, ranges, lo, mid, schema, ids);
        sql.append(" ELSE ");
        bucket(sql, params, ranges, mid + 1, hi, schema, ids);
        sql.append(" END");
    }
}
