package dev.exportdesk.source;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * How many rows a keyset scan of a range would read: {@code COUNT(*)} over exactly the conditions
 * {@link KeysetScan} uses (its query without the ORDER BY), so the count and the scan cannot
 * disagree about the range. For progress estimates (the console's ETA); one query, read-only.
 */
public final class RangeCount {
    private RangeCount() {
    }

    public static long count(Connection connection, SourceSchema schema, ScanRange range) {
        Identifiers ids = SourceSql.ids(connection);
        List<Object> params = new ArrayList<>();
        String scan = KeysetScan.sql(schema, range, ids, params);
        String sql = "SELECT COUNT(*) FROM (" + scan.substring(0, scan.lastIndexOf(" ORDER BY ")) + ") q";
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                st.setObject(i + 1, params.get(i));
            }
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new SourceException("cannot count the rows of a range: " + e.getMessage() + " [" + sql + "]", e);
        }
    }
}
