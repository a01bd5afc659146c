package dev.exportdesk.source;

import dev.exportdesk.contract.Contract;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Resolves a contract against the live source through {@link DatabaseMetaData}: every table and
 * column name must exist (matched exactly, else case-insensitively when unambiguous), and the
 * result carries a fingerprint of the exported columns' names and types.
 */
public final class SchemaInspector {

    public SourceSchema inspect(Connection connection, Contract contract) {
        try {
            DatabaseMetaData meta = connection.getMetaData();
            Identifiers ids = new Identifiers(meta);
            List<ColumnInfo> available;
            String relation;
            TableName table = null;
            if (contract.table() != null) {
                table = resolveTable(meta, contract.table());
                relation = (table.schema() == null ? "" : ids.quote(table.schema()) + ".") + ids.quote(table.name());
                available = tableColumns(meta, table);
            } else {
                relation = "(" + contract.query() + ") exportdesk_q";
                available = queryColumns(connection, relation);
            }
            return resolve(contract, relation, available,
                    DecimalCheck.declared(contract, connection, meta, table, relation));
        } catch (SQLException e) {
            throw new SourceException("cannot read the schema of source \"" + contract.source().name() + "\": "
                    + e.getMessage(), e);
        }
    }

    record TableName(String catalog, String schema, String name) {
    }

    static TableName resolveTable(DatabaseMetaData meta, String qualified) throws SQLException {
        String schemaPart = null;
        String tablePart = qualified;
        int dot = qualified.indexOf('.');
        if (dot > 0) {
            schemaPart = qualified.substring(0, dot);
            tablePart = qualified.substring(dot + 1);
        }
        List<TableName> exact = new ArrayList<>();
        List<TableName> folded = new ArrayList<>();
        try (ResultSet rs = meta.getTables(null, null, null, new String[] {"TABLE", "VIEW", "BASE TABLE"})) {
            while (rs.next()) {
                String schema = rs.getString("TABLE_SCHEM");
                String name = rs.getString("TABLE_NAME");
                if (schema != null && (schema.equalsIgnoreCase("information_schema")
                        || schema.equalsIgnoreCase("pg_catalog"))) {
                    continue;
                }
                TableName t = new TableName(rs.getString("TABLE_CAT"), schema, name);
                boolean schemaExact = schemaPart == null || schemaPart.equals(schema);
                boolean schemaFolded = schemaPart == null || schemaPart.equalsIgnoreCase(schema);
                if (schemaExact && tablePart.equals(name)) {
                    exact.add(t);
                } else if (schemaFolded && tablePart.equalsIgnoreCase(name)) {
                    folded.add(t);
                }
            }
        }
        List<TableName> candidates = !exact.isEmpty() ? exact : folded;
        if (candidates.size() > 1 && schemaPart == null) {
            List<TableName> preferred = candidates.stream()
                    .filter(t -> t.schema() != null && (t.schema().equalsIgnoreCase("public")))
                    .toList();
            if (preferred.size() == 1) {
                candidates = preferred;
            }
        }
        if (candidates.isEmpty()) {
            throw new SchemaMismatchException("table \"" + qualified + "\" does not exist in the source",
                    List.of(), false);
        }
        if (candidates.size() > 1) {
            throw new SchemaMismatchException("table \"" + qualified + "\" is ambiguous; qualify it with a schema",
                    candidates.stream().map(t -> t.schema() + "." + t.name()).toList(), false);
        }
        return candidates.get(0);
    }

    static List<ColumnInfo> tableColumns(DatabaseMetaData meta, TableName table) throws SQLException {
        List<ColumnInfo> out = new ArrayList<>();
        try (ResultSet rs = meta.getColumns(table.catalog(), table.schema(), table.name(), null)) {
            while (rs.next()) {
                String name = rs.getString("COLUMN_NAME");
                int type = rs.getInt("DATA_TYPE");
                String typeName = rs.getString("TYPE_NAME");
                boolean nullable = rs.getInt("NULLABLE") != DatabaseMetaData.columnNoNulls;
                out.add(new ColumnInfo(name, name, type, typeName, nullable, ValueKind.of(type, typeName)));
            }
        }
        return out;
    }

    private static List<ColumnInfo> queryColumns(Connection c, String relation) throws SQLException {
        List<ColumnInfo> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT * FROM " + relation + " WHERE 1 = 0");
             ResultSet rs = st.executeQuery()) {
            ResultSetMetaData md = rs.getMetaData();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                String name = md.getColumnLabel(i);
                int type = md.getColumnType(i);
                String typeName = md.getColumnTypeName(i);
                boolean nullable = md.isNullable(i) != ResultSetMetaData.columnNoNulls;
                out.add(new ColumnInfo(name, name, type, typeName, nullable, ValueKind.of(type, typeName)));
            }
        }
        return out;
    }

    private static SourceSchema resolve(Contract contract, String relation, List<ColumnInfo> available,
                                        java.util.Map<String, int[]> declaredDecimals) {
        List<String> problems = new ArrayList<>();
        List<ColumnInfo> selected = new ArrayList<>();
        if (contract.columns() == null) {
            selected.addAll(available);
        } else {
            for (String wanted : contract.columns()) {
                ColumnInfo found = find(available, wanted, problems, "columns");
                if (found != null) {
                    selected.add(new ColumnInfo(found.name(), wanted, found.jdbcType(), found.typeName(),
                            found.nullable(), found.kind()));
                }
            }
        }
        List<String> orderNames = new ArrayList<>(contract.cursorColumns());
        orderNames.addAll(contract.keyColumns());
        int[] order = new int[orderNames.size()];
        for (int i = 0; i < orderNames.size(); i++) {
            String field = i < contract.cursorColumns().size() ? "cursor_columns" : "key_columns";
            order[i] = indexOf(selected, orderNames.get(i), problems, field);
            if (order[i] >= 0) {
                ColumnInfo col = selected.get(order[i]);
                if (col.nullable() && contract.table() != null) {
                    problems.add(field + ": column \"" + orderNames.get(i) + "\" is nullable; cursor and key "
                            + "columns must be NOT NULL so that every row has a position");
                }
                if (col.kind() == ValueKind.BINARY || col.kind() == ValueKind.OTHER
                        || col.kind() == ValueKind.FLOAT) {
                    problems.add(field + ": column \"" + orderNames.get(i) + "\" has type " + col.typeName()
                            + ", which cannot order a keyset scan exactly");
                }
            }
        }
        int[] keys = new int[contract.keyColumns().size()];
        System.arraycopy(order, contract.cursorColumns().size(), keys, 0, keys.length);
        int softDelete = contract.softDelete()
                .map(name -> indexOf(selected, name, problems, "soft_delete_column"))
                .orElse(-1);
        MaskingCheck.check(contract, selected, problems);
        DecimalCheck.check(contract, selected, declaredDecimals, problems);
        if (!problems.isEmpty()) {
            throw new SchemaMismatchException("the source does not match contract \"" + contract.name() + "\"",
                    problems, false);
        }
        return new SourceSchema(relation, selected, order, keys, softDelete, fingerprint(selected));
    }

    private static ColumnInfo find(List<ColumnInfo> available, String wanted, List<String> problems, String field) {
        for (ColumnInfo c : available) {
            if (c.name().equals(wanted)) {
                return c;
            }
        }
        List<ColumnInfo> folded = available.stream().filter(c -> c.name().equalsIgnoreCase(wanted)).toList();
        if (folded.size() == 1) {
            return folded.get(0);
        }
        problems.add(field + ": column \"" + wanted + "\" " + (folded.isEmpty() ? "does not exist" : "is ambiguous")
                + " (available: " + String.join(", ", available.stream().map(ColumnInfo::name).toList()) + ")");
        return null;
    }

    private static int indexOf(List<ColumnInfo> selected, String wanted, List<String> problems, String field) {
        for (int i = 0; i < selected.size(); i++) {
            if (selected.get(i).outputName().equals(wanted)) {
                return i;
            }
        }
        for (int i = 0; i < selected.size(); i++) {
            if (selected.get(i).name().equalsIgnoreCase(wanted)) {
                return i;
            }
        }
        problems.add(field + ": column \"" + wanted + "\" does not exist in the exported columns");
        return -1;
    }

    /** SHA-256 over each exported column's output name, value kind and database type name. */
    static String fingerprint(List<ColumnInfo> columns) {
        StringBuilder sb = new StringBuilder();
        for (ColumnInfo c : columns) {
            sb.append(c.outputName()).append('|').append(c.kind()).append('|')
                    .append(c.typeName() == null ? "" : c.typeName().toLowerCase(Locale.ROOT)).append('\n');
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
