package dev.exportdesk.source;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a source offers a steward setting up a contract: its tables and views, and a table's
 * columns with its primary key, read from the driver's metadata (no data is read). Which columns
 * may be keys or cursors follows the rules {@link SchemaInspector} enforces when a contract is saved.
 */
public final class SourceCatalog {
    /** At most this many tables are listed (a catalog with more is filtered by typing the name). */
    public static final int MAX_TABLES = 2_000;
    private static final Set<String> SYSTEM_SCHEMAS = Set.of("information_schema", "pg_catalog", "pg_toast");

    private SourceCatalog() {
    }

    /** A table as a contract names it, with the columns it would export. */
    public record TableShape(String table, List<ColumnInfo> columns, List<String> primaryKey) {
        public TableShape {
            columns = List.copyOf(columns);
            primaryKey = List.copyOf(primaryKey);
        }

        /** Null when the column may order a keyset scan, else why not (the words the save would use). */
        public static String orderProblem(ColumnInfo c) {
            if (c.kind() == ValueKind.BINARY || c.kind() == ValueKind.OTHER || c.kind() == ValueKind.FLOAT) {
                return "type " + c.typeName() + " cannot order a keyset scan exactly";
            }
            if (c.nullable()) {
                return "nullable: cursor and key columns must be NOT NULL so that every row has a position";
            }
            return null;
        }

        /** A cursor moves forward with every change: a date/time or a whole number, NOT NULL. */
        public static boolean cursorCandidate(ColumnInfo c) {
            return orderProblem(c) == null && (c.kind().temporal() || c.kind() == ValueKind.INTEGER);
        }
    }

    /** Tables and views, {@code schema.table} ({@code table} alone in the default schema), sorted. */
    public static List<String> tables(Connection c) {
        try {
            DatabaseMetaData meta = c.getMetaData();
            TreeMap<String, String> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            try (ResultSet rs = meta.getTables(null, null, null, new String[] {"TABLE", "VIEW", "BASE TABLE"})) {
                while (rs.next() && out.size() < MAX_TABLES) {
                    String schema = rs.getString("TABLE_SCHEM");
                    String name = rs.getString("TABLE_NAME");
                    if (schema != null && SYSTEM_SCHEMAS.contains(schema.toLowerCase(Locale.ROOT))) {
                        continue;
                    }
                    boolean plain = schema == null || schema.equalsIgnoreCase("public");
                    String qualified = plain ? name : schema + "." + name;
                    out.put(qualified, qualified);
                }
            }
            return List.copyOf(out.values());
        } catch (SQLException e) {
            throw new SourceException("cannot list the source's tables: " + e.getMessage(), e);
        }
    }

    /** The columns of {@code table} (as a contract's {@code table} would name it) and its primary key. */
    public static TableShape describe(Connection c, String table) {
        try {
            DatabaseMetaData meta = c.getMetaData();
            SchemaInspector.TableName t = SchemaInspector.resolveTable(meta, table);
            List<ColumnInfo> columns = SchemaInspector.tableColumns(meta, t);
            TreeMap<Short, String> key = new TreeMap<>();
            try (ResultSet rs = meta.getPrimaryKeys(t.catalog(), t.schema(), t.name())) {
                while (rs.next()) {
                    key.put(rs.getShort("KEY_SEQ"), rs.getString("COLUMN_NAME"));
                }
            }
            return new TableShape(table, columns, new ArrayList<>(key.values()));
        } catch (SQLException e) {
            throw new SourceException("cannot read the columns of \"" + table + "\": " + e.getMessage(), e);
        }
    }
}
