package dev.exportdesk.source;

import dev.exportdesk.contract.Contract;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The decimals a Parquet contract types ({@code parquet.decimals}) against the source's declared
 * precision and scale: a {@code DECIMAL(p, s)} is only safe for a column whose every value has
 * exactly scale {@code s} and fits {@code p} (so it reads back as the same canonical text, which
 * deep verification compares), and that is what the column's declared type promises. A column
 * without a declared precision (PostgreSQL's bare {@code numeric}) promises nothing and is refused.
 * Problems read {@code field: message}, as {@link SchemaInspector}'s do; checked at import and at
 * every run's start, so a column changed at the source stops the run instead of the partner's type
 * changing.
 */
final class DecimalCheck {
    /** Beyond this a driver reports an unconstrained numeric's "precision" (PostgreSQL 0 or 1000, H2 100000). */
    private static final int MAX_DECLARED = 1000;

    private DecimalCheck() {
    }

    /** Declared (precision, scale) of the relation's columns, by name; empty when the contract types no decimal. */
    static Map<String, int[]> declared(Contract contract, Connection connection, DatabaseMetaData meta,
                                       SchemaInspector.TableName table, String relation) throws SQLException {
        Map<String, int[]> out = new HashMap<>();
        if (contract.parquet().decimals().isEmpty()) {
            return out;
        }
        if (table != null) {
            try (ResultSet rs = meta.getColumns(table.catalog(), table.schema(), table.name(), null)) {
                while (rs.next()) {
                    out.put(rs.getString("COLUMN_NAME"), new int[] {rs.getInt("COLUMN_SIZE"), rs.getInt("DECIMAL_DIGITS")});
                }
            }
            return out;
        }
        try (PreparedStatement st = connection.prepareStatement("SELECT * FROM " + relation + " WHERE 1 = 0");
             ResultSet rs = st.executeQuery()) {
            ResultSetMetaData md = rs.getMetaData();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                out.put(md.getColumnLabel(i), new int[] {md.getPrecision(i), md.getScale(i)});
            }
        }
        return out;
    }

    static void check(Contract contract, List<ColumnInfo> exported, Map<String, int[]> declared,
                      List<String> problems) {
        SourceSchema columns = new SourceSchema("", exported, new int[0], new int[0], -1, "");
        contract.parquet().decimals().forEach((name, type) -> {
            String field = "parquet.decimals." + name;
            int at = columns.columnIndex(name);
            ColumnInfo c = at < 0 ? null : exported.get(at);
            int[] source = c == null ? null : find(declared, c.name());
            if (c == null) {
                problems.add(field + ": column \"" + name + "\" does not exist in the exported columns");
            } else if (c.kind() != ValueKind.DECIMAL) {
                problems.add(field + ": column \"" + name + "\" has type " + c.typeName() + ", not a decimal");
            } else if (contract.masking().columns().keySet().stream().anyMatch(m -> m.equalsIgnoreCase(name))) {
                problems.add(field + ": column \"" + name + "\" is masked, and a masked value is delivered as text");
            } else if (source == null || source[0] <= 0 || source[0] > MAX_DECLARED) {
                problems.add(field + ": column \"" + name + "\" (" + c.typeName() + ") declares no precision and scale "
                        + "at the source, so its values may have any scale; declare it numeric(p, s) there, or leave it "
                        + "text (remove it from parquet.decimals)");
            } else if (source[1] != type.scale()) {
                problems.add(field + ": the source column's scale is " + source[1] + ", not " + type.scale()
                        + "; the scale must be the same so that every value reads back exactly");
            } else if (source[0] - source[1] > type.precision() - type.scale()) {
                problems.add(field + ": the source column is " + c.typeName().toLowerCase(Locale.ROOT) + "(" + source[0]
                        + "," + source[1] + "), whose values do not all fit DECIMAL(" + type.precision() + ","
                        + type.scale() + ")");
            }
        });
    }

    private static int[] find(Map<String, int[]> declared, String name) {
        int[] exact = declared.get(name);
        if (exact != null) {
            return exact;
        }
        return declared.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }
}
