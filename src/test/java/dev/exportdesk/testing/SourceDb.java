package dev.exportdesk.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * A real source database for a test: an H2 file database or a database in the test PostgreSQL
 * cluster. {@code user} sets it up (an administrator); contracts read as {@link #reader()}, a user
 * with SELECT rights only, as the engine requires.
 */
public record SourceDb(String kind, String jdbcUrl, String user) {
    public static final String H2_READER = "reader";

    public static SourceDb h2(Path dir) {
        SourceDb db = new SourceDb("h2", "jdbc:h2:file:" + dir.resolve("source").toAbsolutePath(), "sa");
        try {
            db.exec("CREATE USER IF NOT EXISTS " + H2_READER + " PASSWORD ''", "GRANT SELECT ON SCHEMA PUBLIC TO "
                    + H2_READER);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the H2 source's reader: " + e.getMessage(), e);
        }
        return db;
    }

    public static SourceDb postgres() {
        return new SourceDb("postgresql", PostgresCluster.shared().createDatabase("src"), "postgres");
    }

    /**
     * A database on the wal_level=logical cluster, for log-based capture: its reader may replicate too
     * (still no superuser, as the source connector requires).
     */
    public static SourceDb logical() {
        SourceDb db = new SourceDb("postgresql", PostgresCluster.logical().createDatabase("logsrc"), "postgres");
        try {
            db.exec("DO $$ BEGIN IF NOT (SELECT rolreplication FROM pg_roles WHERE rolname = '" + PostgresCluster.READER
                    + "') THEN ALTER ROLE " + PostgresCluster.READER + " REPLICATION; END IF; END $$");
        } catch (SQLException e) {
            if (!"XX000".equals(e.getSQLState())) { // "tuple concurrently updated": another test granted it just now
                throw new IllegalStateException("cannot let the reader replicate: " + e.getMessage(), e);
            }
        }
        return db;
    }

    /** The read-only user the engine connects as. */
    public String reader() {
        return kind.equals("h2") ? H2_READER : PostgresCluster.READER;
    }

    public static SourceDb of(String kind, Path dir) {
        return kind.equals("h2") ? h2(dir) : postgres();
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, user, "");
    }

    /** Each row's {@code version} by its {@code id} (as text, as a replay keys it): what the partner's copy must equal. */
    public Map<String, Integer> versions(String table) throws SQLException {
        Map<String, Integer> rows = new HashMap<>();
        try (Connection c = connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, version FROM " + table)) {
            while (rs.next()) {
                rows.put(Long.toString(rs.getLong(1)), rs.getInt(2));
            }
        }
        return rows;
    }

    /** Each row's {@code version:payload} by its {@code id}: the team tests' items table as a partner's copy must hold it. */
    public Map<String, String> versionPayloads(String table) throws SQLException {
        Map<String, String> rows = new HashMap<>();
        try (Connection c = connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, version, payload FROM " + table)) {
            while (rs.next()) {
                rows.put(rs.getString(1), rs.getInt(2) + ":" + rs.getString(3));
            }
        }
        return rows;
    }

    /** Runs statements in one auto-committed connection. */
    public void exec(String... sql) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    @Override
    public String toString() {
        return kind;
    }
}
