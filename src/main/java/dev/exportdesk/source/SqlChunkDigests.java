package dev.exportdesk.source;

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
    private static final int FETCH_ROWS = 10_000;

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
        // OFFSET 0 keeps the subquery from being flattened, so each string column is turned into JSON once
        String sql = "SELECT b, " + row.line() + ", " + row.guard() + " FROM (SELECT " + row.columns() + ", " + bucket
                + " AS b FROM " + schema.relationSql() + SourceSql.where(where) + " OFFSET 0) r WHERE b IS NOT NULL";
        try {
            sumLines(connection, sql, params, out, guarded);
        } catch (SQLException e) {
            throw new SourceException("cannot compute chunk digests in the source: " + e.getMessage(), e);
        }
        // an empty range has no group: its digest is that of no rows
        for (Range r : ranges) {
            if (!guarded.contains(r.id())) {
                out.putIfAbsent(r.id(), SqlRangeDigest.NONE);
            }
        }
        return out;
    }

    /**
     * Runs {@code sql}, whose rows are (bucket id, JSON line, guard), and puts each bucket's row
     * digest in {@code out} — or its id in {@code guarded} when any of its rows is one SQL cannot
     * write as the encoder does. PostgreSQL builds the lines and this JVM hashes them, as
     * {@link RowDigest} does: PostgreSQL's own {@code sha256()} sets up an OpenSSL context per call,
     * which cost almost as much per row as the rest of the statement (BENCHMARKS.md), while the JVM's
     * SHA-256 runs on the other core. Fetched in batches inside a read-only transaction, so memory
     * does not grow with the range.
     */
    static void sumLines(Connection connection, String sql, List<Object> params,
                         Map<Integer, SqlRangeDigest.Digest> out, Set<Integer> guarded) throws SQLException {
        Map<Integer, RowDigest> sums = new HashMap<>();
        boolean autoCommit = connection.getAutoCommit();
        if (autoCommit) {
            connection.setAutoCommit(false);
        }
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            st.setFetchSize(FETCH_ROWS);
            for (int i = 0; i < params.size(); i++) {
                st.setObject(i + 1, params.get(i));
            }
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    int bucket = rs.getInt(1);
                    if (rs.getBoolean(3)) {
                        guarded.add(bucket);
                    }
                    // the driver hands over the text's bytes as received: UTF-8, pgjdbc's only client encoding
                    byte[] line = rs.getBytes(2);
                    sums.computeIfAbsent(bucket, b -> new RowDigest()).add(line, 0, line.length);
                }
            }
        } finally {
            try {
                connection.rollback();
                if (autoCommit) {
                    connection.setAutoCommit(true);
                }
            } catch (SQLException ignored) {
                // read-only
            }
        }
        sums.forEach((bucket, sum) -> {
            if (!guarded.contains(bucket)) {
                out.put(bucket, new SqlRangeDigest.Digest(sum.rows(), sum.hex()));
            }
        });
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
