package dev.exportdesk.cdc;

import dev.exportdesk.source.ColumnInfo;
import dev.exportdesk.source.SourceSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The captured table as the catalog describes it, next to what the contract exports: the relation
 * the log's Relation messages are matched against, and what the setup check inspects.
 *
 * @param columns        the exported columns (the scans' {@link SourceSchema#columns()}), in order
 * @param keyIndexes     positions of the contract's key columns in {@code columns}
 * @param attributes     every column of the table that logical decoding sends (generated ones are not
 *                       sent), by name
 * @param replicaIdentity {@code pg_class.relreplident}: d(efault), n(othing), f(ull) or i(ndex)
 * @param partitioned    a partitioned table, whose changes the log gives under its partitions' names
 *                       unless the publication publishes via the partition root
 * @param exportsAllColumns the contract lists no {@code columns}: then a column added to the table is
 *                       a schema change too, as it changes a scan's fingerprint
 */
public record LogicalTable(long oid, String namespace, String name, List<ColumnInfo> columns, int[] keyIndexes,
                           Map<String, Attribute> attributes, char replicaIdentity, boolean partitioned,
                           boolean exportsAllColumns) {

    /** One column of the table: its type, its storage (TOAST) strategy, whether it is generated. */
    public record Attribute(String name, long typeOid, char storage, boolean generated) {
        /** Whether its values can be moved out of line, and so come as "unchanged TOAST" in updates. */
        public boolean toastable() {
            return storage == 'x' || storage == 'e' || storage == 'm';
        }
    }

    public LogicalTable {
        columns = List.copyOf(columns);
        keyIndexes = keyIndexes.clone();
        attributes = Map.copyOf(attributes);
    }

    public String qualifiedName() {
        return namespace + "." + name;
    }

    /**
     * The catalog's view of the table a scan of {@code schema} reads (tables and partitioned tables
     * only); {@code allColumns}: the contract lists no {@code columns}.
     */
    public static LogicalTable resolve(Connection c, SourceSchema schema, boolean allColumns) {
        try {
            long oid;
            String namespace;
            String name;
            char identity;
            char kind;
            try (PreparedStatement st = c.prepareStatement("SELECT c.oid, n.nspname, c.relname, c.relreplident, "
                    + "c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    + "WHERE c.oid = to_regclass(?)")) {
                st.setString(1, schema.relationSql());
                try (ResultSet rs = st.executeQuery()) {
                    if (!rs.next()) {
                        throw new CaptureException("logical capture reads a table; " + schema.relationSql()
                                + " is not one (a query contract cannot be captured from the log)");
                    }
                    oid = rs.getLong(1);
                    namespace = rs.getString(2);
                    name = rs.getString(3);
                    identity = rs.getString(4).charAt(0);
                    kind = rs.getString(5).charAt(0);
                }
            }
            if (kind != 'r' && kind != 'p') {
                throw new CaptureException("logical capture reads a table; " + namespace + "." + name
                        + " is a " + (kind == 'v' ? "view" : kind == 'm' ? "materialized view" : "relation of kind "
                        + kind) + ", which the log does not describe");
            }
            Map<String, Attribute> attributes = new HashMap<>();
            try (PreparedStatement st = c.prepareStatement("SELECT attname, atttypid, attstorage, attgenerated <> '' "
                    + "FROM pg_attribute WHERE attrelid = ? AND attnum > 0 AND NOT attisdropped ORDER BY attnum")) {
                st.setLong(1, oid);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        Attribute a = new Attribute(rs.getString(1), rs.getLong(2), rs.getString(3).charAt(0),
                                rs.getBoolean(4));
                        attributes.put(a.name(), a);
                    }
                }
            }
            return new LogicalTable(oid, namespace, name, schema.columns(), schema.keyIndexes(), attributes, identity,
                    kind == 'p', allColumns);
        } catch (SQLException e) {
            throw new CaptureException("cannot read the catalog entry of " + schema.relationSql() + ": "
                    + e.getMessage(), e);
        }
    }

    /** The exported columns' names in the database's spelling. */
    public List<String> columnNames() {
        List<String> names = new ArrayList<>();
        columns.forEach(col -> names.add(col.name()));
        return names;
    }
}
