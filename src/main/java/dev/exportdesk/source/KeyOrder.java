package dev.exportdesk.source;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Compares two key tuples as the source orders the table's keys in a scan — its own types and
 * collations, asked of the source (PostgreSQL), since a text key's order under a locale is not
 * Java's. For the few comparisons a log hand-off needs (cdc.CopySnapshots), not for scans.
 */
public final class KeyOrder implements Comparator<Object[]> {
    private final Connection source;
    private final List<ColumnInfo> keys;
    private final String sql;

    private KeyOrder(Connection source, List<ColumnInfo> keys, String sql) {
        this.source = source;
        this.keys = keys;
        this.sql = sql;
    }

    /** The key order of {@code schema}'s table on {@code source}, its column types and collations read from the catalog. */
    public static KeyOrder of(Connection source, SourceSchema schema) throws SQLException {
        List<ColumnInfo> keys = new ArrayList<>();
        for (int i : schema.keyIndexes()) {
            keys.add(schema.columns().get(i));
        }
        List<String> left = new ArrayList<>();
        List<String> right = new ArrayList<>();
        try (PreparedStatement st = source.prepareStatement("SELECT format_type(a.atttypid, a.atttypmod), "
                + "CASE WHEN a.attcollation <> 0 THEN quote_ident(n.nspname) || '.' || quote_ident(co.collname) END "
                + "FROM pg_attribute a LEFT JOIN pg_collation co ON co.oid = a.attcollation "
                + "LEFT JOIN pg_namespace n ON n.oid = co.collnamespace "
                + "WHERE a.attrelid = CAST(? AS regclass) AND a.attname = ? AND NOT a.attisdropped")) {
            for (ColumnInfo key : keys) {
                st.setString(1, schema.relationSql());
                st.setString(2, key.name());
                try (ResultSet rs = st.executeQuery()) {
                    if (!rs.next()) {
                        throw new SourceException("key column \"" + key.name() + "\" is not in " + schema.relationSql());
                    }
                    String cast = "CAST(? AS " + rs.getString(1) + ")" + (rs.getString(2) == null ? ""
                            : " COLLATE " + rs.getString(2));
                    left.add(cast);
                    right.add(cast);
                }
            }
        }
        String l = "ROW(" + String.join(", ", left) + ")";
        String r = "ROW(" + String.join(", ", right) + ")";
        return new KeyOrder(source, keys, "SELECT CASE WHEN " + l + " < " + r + " THEN -1 ELSE 1 END");
    }

    /** Equal canonical tuples are equal; any other pair is ordered by the source (never 0 then: "after" will do). */
    @Override
    public int compare(Object[] a, Object[] b) {
        if (Arrays.equals(a, b)) {
            return 0;
        }
        Object[] pa = CursorCodec.toParameters(a, keys);
        Object[] pb = CursorCodec.toParameters(b, keys);
        try (PreparedStatement st = source.prepareStatement(sql)) {
            int n = 1;
            for (Object v : pa) {
                st.setObject(n++, v);
            }
            for (Object v : pb) {
                st.setObject(n++, v);
            }
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new SourceException("cannot compare keys at the source: " + e.getMessage(), e);
        }
    }
}
