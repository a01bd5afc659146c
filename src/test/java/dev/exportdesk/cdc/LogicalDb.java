package dev.exportdesk.cdc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.contract.ContractCodec;
import dev.exportdesk.source.CapturedRow;
import dev.exportdesk.source.ScanRange;
import dev.exportdesk.source.SchemaInspector;
import dev.exportdesk.source.SourceScans;
import dev.exportdesk.source.SourceSchema;
import dev.exportdesk.source.SqlScan;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.PostgresCluster;
import dev.exportdesk.testing.SourceDb;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * A database in the wal_level=logical test cluster, and the role capture connects as: REPLICATION
 * and read rights only (not a superuser, as the source connector requires).
 */
record LogicalDb(SourceDb db) {
    static final String REPLICATOR = "exportdesk_replicator";

    static LogicalDb create() {
        PostgresCluster cluster = PostgresCluster.logical();
        SourceDb db = new SourceDb("postgresql", cluster.createDatabase("cdc"), "postgres");
        try {
            db.exec("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + REPLICATOR + "') THEN "
                    + "CREATE ROLE " + REPLICATOR + " LOGIN REPLICATION; GRANT pg_read_all_data TO " + REPLICATOR
                    + "; END IF; END $$");
        } catch (SQLException e) {
            // two classes creating the role at once: the loser's role exists all the same
            if (!"23505".equals(e.getSQLState()) && !"42710".equals(e.getSQLState())) {
                throw new IllegalStateException(e);
            }
        }
        return new LogicalDb(db);
    }

    static Properties as(String role) {
        Properties p = new Properties();
        p.setProperty("user", role);
        p.setProperty("password", "");
        return p;
    }

    ReplicationSession session() {
        return ReplicationSession.open(db.jdbcUrl(), as(REPLICATOR));
    }

    Connection connect() throws SQLException {
        return db.connect();
    }

    Connection connectAs(String role) throws SQLException {
        return DriverManager.getConnection(db.jdbcUrl(), as(role));
    }

    void exec(String... sql) throws SQLException {
        db.exec(sql);
    }

    /** The scans' schema of {@code table} (a full-table contract keyed by {@code key}). */
    SourceSchema schema(Connection c, String table, String key, Consumer<ObjectNode> change) {
        ObjectNode base = Contracts.base("cdc-" + table.replace('.', '-').toLowerCase(java.util.Locale.ROOT), db,
                table, Path.of("/nonexistent"));
        String json = Contracts.json(base, n -> {
            n.putArray("key_columns").add(key);
            n.remove("cursor_columns");
            n.remove("late_data");
            change.accept(n);
        });
        return new SchemaInspector().inspect(c, ContractCodec.parse(json, "test"));
    }

    /** The table as a contract that lists {@code columns} exports it. */
    LogicalTable table(String table, String key, List<String> columns) throws SQLException {
        try (Connection c = connect()) {
            return LogicalTable.resolve(c, schema(c, table, key, n -> columns.forEach(n.putArray("columns")::add)),
                    false);
        }
    }

    LogicalTable table(String table, String key) throws SQLException {
        try (Connection c = connect()) {
            return LogicalTable.resolve(c, schema(c, table, key, n -> { }), true);
        }
    }

    /**
     * A partitioned table (the schema inspection does not list them yet, for scans or the log), with
     * the columns of one of its partitions.
     */
    LogicalTable partitioned(String parent, String partition, String key) throws SQLException {
        try (Connection c = connect()) {
            SourceSchema s = schema(c, partition, key, n -> { });
            return LogicalTable.resolve(c, new SourceSchema("\"public\".\"" + parent + "\"", s.columns(),
                    s.orderIndexes(), s.keyIndexes(), s.softDeleteIndex(), s.fingerprint()), true);
        }
    }

    /** Every row of the table as the cursor path reads it (COPY, or the JDBC cursor for other types). */
    static List<Object[]> scan(Connection c, SourceSchema schema) {
        return scan(c, schema, ScanRange.all());
    }

    static List<Object[]> scan(Connection c, SourceSchema schema, ScanRange range) {
        List<Object[]> rows = new ArrayList<>();
        try (SqlScan scan = SourceScans.ordered(c, schema, range, 500)) {
            for (CapturedRow row = scan.next(); row != null; row = scan.next()) {
                rows.add(row.values());
            }
        }
        return rows;
    }

    long count(String sql) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
