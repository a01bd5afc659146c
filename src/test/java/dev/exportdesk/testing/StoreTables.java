package dev.exportdesk.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A state store's tables as comparable text, on H2 or PostgreSQL: each table's rows (values
 * normalised across the two drivers, sorted), so two stores, or one store before and after, can be
 * compared table by table.
 */
public final class StoreTables {
    private StoreTables() {
    }

    /** Every base table of the current schema (lower case) to its sorted rows, but {@code skip}ped columns. */
    public static Map<String, List<String>> contents(Connection c, Map<String, Set<String>> skip) throws SQLException {
        Map<String, List<String>> out = new TreeMap<>();
        List<String> tables = new ArrayList<>();
        try (ResultSet rs = c.getMetaData().getTables(null, c.getSchema(), "%", new String[] {"TABLE", "BASE TABLE"})) {
            while (rs.next()) {
                tables.add(rs.getString("TABLE_NAME"));
            }
        }
        for (String table : tables) {
            String name = table.toLowerCase(Locale.ROOT);
            Set<String> skipped = skip.getOrDefault(name, Set.of());
            List<String> rows = new ArrayList<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM \"" + table + "\"")) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        String column = md.getColumnName(i).toLowerCase(Locale.ROOT);
                        if (!skipped.contains(column)) {
                            row.append(column).append('=').append(text(rs.getObject(i))).append(' ');
                        }
                    }
                    rows.add(row.toString());
                }
            }
            rows.sort(null);
            out.put(name, rows);
        }
        return out;
    }

    /** {@code contents} read without skipping, with the {@code skip}ped columns taken out afterwards. */
    public static Map<String, List<String>> contentsWithout(Map<String, List<String>> contents,
                                                            Map<String, Set<String>> skip) {
        Map<String, List<String>> out = new TreeMap<>();
        contents.forEach((table, rows) -> out.put(table, rows.stream().map(r -> {
            String row = r;
            for (String column : skip.getOrDefault(table, Set.of())) {
                row = row.replaceAll("(^| )" + column + "=\\S* ", "$1");
            }
            return row;
        }).sorted().toList()));
        return out;
    }

    private static String text(Object v) {
        if (v instanceof OffsetDateTime t) {
            return t.toInstant().toString();
        }
        if (v instanceof java.sql.Timestamp t) {
            return t.toInstant().toString();
        }
        if (v instanceof byte[] b) {
            return HexFormat.of().formatHex(b);
        }
        return String.valueOf(v);
    }
}
