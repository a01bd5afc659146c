package dev.exportdesk.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** A real source database for a test: an H2 file database or a database in the test PostgreSQL cluster. */
public record SourceDb(String kind, String jdbcUrl, String user) {

    public static SourceDb h2(Path dir) {
        return new SourceDb("h2", "jdbc:h2:file:" + dir.resolve("source").toAbsolutePath(), "sa");
    }

    public static SourceDb postgres() {
        return new SourceDb("postgresql", PostgresCluster.shared().createDatabase("src"), "postgres");
    }

    public static SourceDb of(String kind, Path dir) {
        return kind.equals("h2") ? h2(dir) : postgres();
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, user, "");
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
