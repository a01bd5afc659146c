package dev.exportdesk.source;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * The {@link SqlRangeDigest} of several ordered, disjoint ranges (a run's chunks) in one pass over
 * the source: each row in the span is hashed once and summed into the bucket of the range that holds
 * it (by PostgreSQL or by this JVM: see {@link #digestBuckets}). One statement instead of one per chunk: the
 * planner can read the span in one sequential scan instead of an index range scan per chunk, and
 * the per-statement costs (planning, JIT compilation, a round trip) are paid once. Rows between the
 * ranges belong to no bucket (deep verification re-reads those gaps separately).
 */
public final class SqlChunkDigests {
    private static final int FETCH_ROWS = 10_000;
    private static final BigInteger MOD = BigInteger.ONE.shiftLeft(64);
    private static final Pattern LOOPBACK = Pattern.compile("(?:::ffff:)?127(?:\\.\\d{1,3}){3}|::1|0:0:0:0:0:0:0:1");

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
        String inner = "SELECT " + row.columns() + ", " + bucket + " AS b FROM " + schema.relationSql()
                + SourceSql.where(where);
        try {
            digestBuckets(connection, row, inner, params, out, guarded);
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
     * The row digest of each bucket of {@code inner} (a query over the relation selecting
     * {@code row.columns()} and a bucket id {@code b}, NULL for rows in no bucket) into {@code out},
     * or the bucket's id into {@code guarded} when any of its rows is one SQL cannot write as the
     * encoder does. Where the rows are hashed depends on where the database is. On this host
     * (loopback or a Unix socket) PostgreSQL builds the lines and this JVM hashes them: PostgreSQL's
     * {@code sha256()} sets up an OpenSSL context per call, which cost almost as much per row as
     * building the line (BENCHMARKS.md), while the JVM's SHA-256 runs on another core. Across a
     * network the lines (about 140 bytes a row) would cost more to move than that per-row set-up
     * (0.8 µs a row breaks even at about 1.4 Gbit/s), so PostgreSQL hashes them and only one row
     * of numbers per bucket comes back.
     */
    static void digestBuckets(Connection connection, SqlRangeDigest.RowSql row, String inner, List<Object> params,
                              Map<Integer, SqlRangeDigest.Digest> out, Set<Integer> guarded) throws SQLException {
        digestBuckets(connection, row, inner, params, out, guarded, sameHost(connection));
    }

    /** As above, hashing the lines in this JVM when {@code hashHere}, else in PostgreSQL. */
    static void digestBuckets(Connection connection, SqlRangeDigest.RowSql row, String inner, List<Object> params,
                              Map<Integer, SqlRangeDigest.Digest> out, Set<Integer> guarded, boolean hashHere)
            throws SQLException {
        // OFFSET 0 keeps each subquery from being flattened, so each string column is turned into JSON once
        // and each row hashed once
        if (hashHere) {
            sumLines(connection, "SELECT b, " + row.line() + ", " + row.guard() + " FROM (" + inner
                    + " OFFSET 0) r WHERE b IS NOT NULL", params, out, guarded);
            return;
        }
        String sql = "SELECT b, count(*), coalesce(sum(" + half(0) + "), 0), coalesce(sum(" + half(8) + "), 0), "
                + "coalesce(bool_or(g), false) FROM (SELECT sha256(convert_to(" + row.line() + ", 'UTF8')) AS h, ("
                + row.guard() + ") AS g, b FROM (" + inner + " OFFSET 0) r WHERE b IS NOT NULL OFFSET 0) q GROUP BY b";
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
                                RowDigest.hex(high, low)));
                    }
                }
            }
        } finally {
            try {
                if (!connection.getAutoCommit()) {
                    connection.rollback();
                }
            } catch (SQLException ignored) {
                // read-only
            }
        }
    }

    /** Whether the connection reaches the database on this host: over a Unix socket or a loopback address. */
    static boolean sameHost(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SELECT inet_server_addr()")) {
            // NULL: a Unix-domain socket
            return rs.next() && (rs.getString(1) == null || loopback(rs.getString(1)));
        }
    }

    /**
     * Whether the server's {@code inet} text names a loopback address: 127.0.0.0/8 or ::1. The text
     * comes from the source database, so it is matched, never resolved (a name would be looked up).
     */
    static boolean loopback(String inet) {
        return LOOPBACK.matcher(inet.replaceFirst("/\\d{1,3}$", "")).matches();
    }

    /** Bytes {@code from}..{@code from+7} of the row hash {@code h} as a big-endian signed bigint. */
    private static String half(int from) {
        StringJoiner bytes = new StringJoiner(" | ", "(", ")");
        for (int i = 0; i < 8; i++) {
            bytes.add("(get_byte(h, " + (from + i) + ")::bigint << " + (56 - 8 * i) + ")");
        }
        return bytes.toString();
    }

    /**
     * Runs {@code sql}, whose rows are (bucket id, JSON line, guard), and sums each bucket's lines as
     * {@link RowDigest} does, fetched in batches inside a read-only transaction (memory does not grow
     * with the range).
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
