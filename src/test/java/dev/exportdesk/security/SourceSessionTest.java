package dev.exportdesk.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.testing.CliRun;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.PostgresCluster;
import dev.exportdesk.testing.SourceDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Threat: a steward's {@code query} reads the host's files or changes the source. Source sessions
 * run as an unprivileged user (privileged ones are refused) and read-only; the planted secret
 * never appears in anything the product printed or delivered, and the source is unchanged.
 */
class SourceSessionTest {
    private static final String SECRET = "planted-secret-7f3a9c";
    @TempDir
    Path dir;
    private int contracts;

    private Path secretFile() throws Exception {
        Path f = dir.resolve("host-secret.txt");
        Files.writeString(f, SECRET);
        return f;
    }

    private CliRun.Result importQuery(CliRun cli, SourceDb db, String query) throws Exception {
        return importQuery(cli, db, db.reader(), query);
    }

    /** The contract's inline source reads as {@code user} (the CLI, an administrator, creates it). */
    private CliRun.Result importQuery(CliRun cli, SourceDb db, String user, String query) throws Exception {
        String name = "leak" + (++contracts);
        ObjectNode contract = Contracts.base(name, db, "orders", dir.resolve("drop"));
        ((ObjectNode) contract.get("source")).put("name", "src-" + user.replace('_', '-')).put("user", user);
        contract.remove("table");
        contract.put("query", query);
        Path file = dir.resolve(name + ".json");
        Files.writeString(file, contract.toString());
        CliRun.Result imported = cli.run("contract", "import", file.toString());
        if (imported.code() != 0) {
            return imported;
        }
        // validation reads only metadata: the query's functions run when rows are read
        CliRun.Result run = cli.run("run", name, "-q");
        return new CliRun.Result(run.code(), imported.out() + run.out(), imported.err() + run.err());
    }

    /** Every byte the product wrote where a partner or a log reader would see it. */
    private String everythingWritten() throws Exception {
        StringBuilder all = new StringBuilder();
        for (Path root : new Path[] {dir.resolve("drop"), dir.resolve("ws").resolve("logs")}) {
            if (!Files.exists(root)) {
                continue;
            }
            try (var files = Files.walk(root)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    byte[] bytes = Files.readAllBytes(f);
                    all.append(new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1));
                    if (f.toString().endsWith(".zst")) {
                        all.append(new String(com.github.luben.zstd.Zstd.decompress(bytes,
                                (int) com.github.luben.zstd.Zstd.getFrameContentSize(bytes)),
                                java.nio.charset.StandardCharsets.ISO_8859_1));
                    }
                }
            }
        }
        return all.toString();
    }

    @Test
    void anH2QueryCannotReadOrWriteHostFiles() throws Exception {
        SourceDb db = SourceDb.h2(dir.resolve("src"));
        db.exec("CREATE TABLE orders (id BIGINT PRIMARY KEY, updated_at TIMESTAMP WITH TIME ZONE NOT NULL)",
                "INSERT INTO orders VALUES (1, CURRENT_TIMESTAMP)");
        CliRun cli = new CliRun(dir.resolve("ws"));
        Path written = dir.resolve("written.csv");
        for (String query : new String[] {
            "SELECT id, updated_at, FILE_READ('" + secretFile() + "') AS leak FROM orders",
            "SELECT id, updated_at, CSVWRITE('" + written + "', 'SELECT 1') AS w FROM orders",
            "SELECT id, updated_at, FILE_WRITE('x', '" + written + "') AS w FROM orders"}) {
            CliRun.Result r = importQuery(cli, db, query);
            assertThat(r.code()).as(query + "\n" + r.all()).isNotZero();
            assertThat(r.all()).doesNotContain(SECRET);
        }
        assertThat(written).doesNotExist();
        assertThat(everythingWritten()).doesNotContain(SECRET);
    }

    @Test
    void privilegedSourceUsersAreRefused() throws Exception {
        SourceDb h2 = SourceDb.h2(dir.resolve("src"));
        SourceDb pg = SourceDb.postgres();
        CliRun cli = new CliRun(dir.resolve("ws"));
        assertThat(cli.run("source", "add", "h2-admin", "--jdbc-url", h2.jdbcUrl(), "--user", "sa").code()).isZero();
        assertThat(cli.run("source", "add", "pg-super", "--jdbc-url", pg.jdbcUrl(), "--user", "postgres").code())
                .isZero();
        CliRun.Result h2Test = cli.run("source", "test", "h2-admin");
        assertThat(h2Test.code()).as(h2Test.all()).isEqualTo(7);
        assertThat(h2Test.err()).contains("as an administrator").contains("GRANT SELECT");
        CliRun.Result pgTest = cli.run("source", "test", "pg-super");
        assertThat(pgTest.code()).as(pgTest.all()).isEqualTo(7);
        assertThat(pgTest.err()).contains("a superuser");

        pg.exec("CREATE ROLE file_reader LOGIN", "GRANT pg_read_server_files TO file_reader");
        assertThat(cli.run("source", "add", "pg-files", "--jdbc-url", pg.jdbcUrl(), "--user", "file_reader").code())
                .isZero();
        assertThat(cli.run("source", "test", "pg-files").err()).contains("a member of pg_read_server_files");

        assertThat(cli.run("source", "add", "pg-reader", "--jdbc-url", pg.jdbcUrl(), "--user",
                PostgresCluster.READER).code()).isZero();
        CliRun.Result ok = cli.run("source", "test", "pg-reader");
        assertThat(ok.code()).as(ok.all()).isZero();
        assertThat(ok.out()).contains("PostgreSQL").contains("read-only");
    }

    @Test
    void aPostgresSessionIsReadOnlyEvenForAUserWhoMayWrite() throws Exception {
        SourceDb pg = SourceDb.postgres();
        pg.exec("CREATE TABLE orders (id BIGINT PRIMARY KEY, updated_at TIMESTAMPTZ NOT NULL)",
                "INSERT INTO orders VALUES (1, now())", "CREATE SEQUENCE s",
                "CREATE ROLE writer LOGIN", "GRANT ALL ON orders TO writer", "GRANT ALL ON SEQUENCE s TO writer");
        CliRun cli = new CliRun(dir.resolve("ws"));
        CliRun.Result nextval = importQuery(cli, pg, "writer", "SELECT id, updated_at, nextval('s') AS n FROM orders");
        assertThat(nextval.code()).as(nextval.all()).isNotZero();
        assertThat(nextval.all()).contains("read-only transaction");
        CliRun.Result readFile = importQuery(cli, pg, PostgresCluster.READER,
                "SELECT id, updated_at, pg_read_file('" + secretFile() + "') AS leak FROM orders");
        assertThat(readFile.code()).as(readFile.all()).isNotZero();
        assertThat(readFile.all()).doesNotContain(SECRET).contains("permission denied");
        assertThat(everythingWritten()).doesNotContain(SECRET);
        try (Connection c = pg.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT last_value, is_called FROM s")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getBoolean(2)).as("the sequence was never advanced").isFalse();
        }
    }
}
