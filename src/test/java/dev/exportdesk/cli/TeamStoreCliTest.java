package dev.exportdesk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.store.StoreMode;
import dev.exportdesk.store.Workspace;
import dev.exportdesk.testing.ChildJvm;
import dev.exportdesk.testing.CliRun;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.PostgresCluster;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.WorkerProcess;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 item 1 from the command line: {@code store init} makes a team workspace, a contract runs
 * and exports through the team store, several processes open that workspace at once, and bad input
 * gets its documented exit code with nothing written.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TeamStoreCliTest {
    private static final String PASSWORD = "cli-team-Passw0rd-77e1";
    @TempDir
    Path dir;

    /** {@code store init} with the password on stdin (kept sealed), as a terminal-less administrator would. */
    static CliRun.Result initWithStdin(CliRun cli, String url) {
        InputStream saved = System.in;
        System.setIn(new ByteArrayInputStream((PASSWORD + "\n").getBytes(StandardCharsets.UTF_8)));
        try {
            return cli.run("store", "init", url, "--user", "postgres");
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void initThenExportThroughTheTeamStoreWhileOtherProcessesHaveItOpen() throws Exception {
        String url = PostgresCluster.shared().createDatabase("teamcli");
        Path ws = dir.resolve("ws");
        CliRun cli = new CliRun(ws, Map.of()); // key file master key, password sealed in the workspace
        CliRun.Result init = initWithStdin(cli, url);
        assertThat(init.code()).as(init.all()).isZero();
        assertThat(init.out()).contains("now keeps its state in the team store " + url);
        assertThat(Files.readString(ws.resolve("state/team-store.json"))).doesNotContain(PASSWORD);

        SourceDb db = SourceDb.h2(dir.resolve("src"));
        db.exec("CREATE TABLE orders (id BIGINT PRIMARY KEY, note VARCHAR(200), updated_at TIMESTAMP WITH TIME ZONE "
                        + "NOT NULL)",
                "INSERT INTO orders SELECT X, 'n' || X, TIMESTAMP WITH TIME ZONE '2024-01-01 00:00:00+00' "
                        + "FROM SYSTEM_RANGE(1, 300)");
        ObjectNode contract = Contracts.base("orders", db, "orders", dir.resolve("drop"));
        Path file = dir.resolve("orders.json");
        Files.writeString(file, contract.toString());
        assertThat(cli.run("contract", "import", file.toString()).code()).isZero();
        // only workers execute runs in a team store: a run outside a lease is refused, planning nothing
        CliRun.Result refused = cli.run("run", "orders", "-q");
        assertThat(refused.code()).as(refused.all()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(refused.err()).contains("workers execute runs").contains("exportdesk request run")
                .doesNotContain("\tat ");
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
             Statement st = c.createStatement();
             var rs = st.executeQuery("SELECT COUNT(*) FROM runs")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
        try (WorkerProcess worker = WorkerProcess.start(ws, Map.of(), dir.resolve("worker.log"), "w1")) {
            CliRun.Result run = cli.run("request", "run", "orders", "--wait", "120s");
            assertThat(run.code()).as(run.all() + worker.output()).isZero();
        }
        assertThat(dir.resolve("drop/orders/run-000001/manifest.json")).exists();
        assertThat(ws.resolve("state/exportdesk.mv.db")).doesNotExist();
        CliRun.Result health = cli.run("status");
        assertThat(health.code()).as(health.all()).isZero();
        assertThat(health.out()).containsPattern("state store: [0-9.]+ [kMG]?B.*\\(shared\\)");
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
             Statement st = c.createStatement();
             var rs = st.executeQuery("SELECT COUNT(*) FROM runs WHERE state = 'COMPLETED'")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }

        // this JVM holds the workspace open; two more processes open it at the same time
        try (Workspace held = Workspace.open(ws, Map.of())) {
            assertThat(held.mode()).isEqualTo(StoreMode.TEAM);
            Process status = ChildJvm.start(dir.resolve("status.log"), List.of(), "--workspace", ws.toString(),
                    "store", "status");
            Process verify = ChildJvm.start(dir.resolve("verify.log"), List.of(), "--workspace", ws.toString(),
                    "ledger", "verify");
            assertThat(status.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(verify.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(status.exitValue()).as(Files.readString(dir.resolve("status.log"))).isZero();
            assertThat(verify.exitValue()).as(Files.readString(dir.resolve("verify.log"))).isZero();
            assertThat(Files.readString(dir.resolve("status.log"))).contains("mode:     team")
                    .contains("schema:   ").contains("pending:  none").doesNotContain(PASSWORD);
        }
        // the store password is in no file of the workspace (config, logs) and in no row of the store
        byte[] planted = PASSWORD.getBytes(StandardCharsets.UTF_8);
        try (var files = Files.walk(ws)) {
            List<Path> holding = files.filter(Files::isRegularFile).filter(f -> contains(f, planted)).toList();
            assertThat(holding).isEmpty();
        }
        assertThat(ws.resolve("logs/exportdesk.log")).exists();
        try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
            assertThat(dev.exportdesk.testing.StoreTables.contents(c, Map.of()).toString()).doesNotContain(PASSWORD)
                    .contains("store.init");
        }
    }

    private static boolean contains(Path file, byte[] needle) {
        try {
            byte[] hay = Files.readAllBytes(file);
            for (int i = 0; i + needle.length <= hay.length; i++) {
                if (java.util.Arrays.equals(hay, i, i + needle.length, needle, 0, needle.length)) {
                    return true;
                }
            }
            return false;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void badInputGetsItsExitCodeAndWritesNothing() throws Exception {
        Path ws = dir.resolve("ws");
        CliRun cli = new CliRun(ws, Map.of("EXPORTDESK_STORE_PASSWORD", PASSWORD));
        CliRun.Result denied = cli.run("store", "init", "jdbc:postgresql://127.0.0.1/x?socketFactory=a.B", "--user", "u");
        assertThat(denied.code()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(denied.err()).contains("\"socketFactory\" is not allowed").doesNotContain("\tat ");
        assertThat(ws.resolve("state/team-store.json")).doesNotExist();

        int closed;
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        CliRun.Result unreachable = cli.run("store", "init", "jdbc:postgresql://127.0.0.1:" + closed + "/x", "--user",
                "u");
        assertThat(unreachable.code()).as(unreachable.all()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(unreachable.err()).contains("cannot reach the team store").doesNotContain(PASSWORD)
                .doesNotContain("\tat ");
        assertThat(ws.resolve("state/team-store.json")).doesNotExist();

        String url = PostgresCluster.shared().createDatabase("teamcli");
        assertThat(cli.run("store", "init", url, "--user", "postgres").code()).isZero();
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement st = c.createStatement()) {
            st.execute("INSERT INTO flyway_schema_history(installed_rank, version, description, type, script, "
                    + "checksum, installed_by, execution_time, success) VALUES (999, '99', 'future', 'SQL', "
                    + "'V99__future.sql', 1, 'postgres', 1, TRUE)");
        }
        CliRun.Result newer = new CliRun(ws, Map.of("EXPORTDESK_STORE_PASSWORD", PASSWORD)).run("status");
        assertThat(newer.code()).as(newer.all()).isEqualTo(ExitCodes.STORE_VERSION);
        assertThat(newer.err()).contains("newer than this ExportDesk build");

        CliRun other = new CliRun(dir.resolve("other"), Map.of("EXPORTDESK_STORE_URL", url, "EXPORTDESK_STORE_USER",
                "postgres", "EXPORTDESK_STORE_PASSWORD", PASSWORD, "EXPORTDESK_MASTER_SECRET", "not the team's"));
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement st = c.createStatement()) {
            st.execute("DELETE FROM flyway_schema_history WHERE version = '99'");
        }
        CliRun.Result wrongKey = other.run("status");
        assertThat(wrongKey.code()).as(wrongKey.all()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(wrongKey.err()).contains("EXPORTDESK_MASTER_SECRET").contains("Nothing was written");
    }

    @Test
    void aStoreWaitingForMigrationIsMigratedOnlyByStoreMigrate() throws Exception {
        String url = PostgresCluster.shared().createDatabase("teamcli");
        org.flywaydb.core.Flyway.configure().dataSource(url, "postgres", "").locations("classpath:db/migration",
                "classpath:dev/exportdesk/store/migration").target("18").load().migrate();
        Map<String, String> env = Map.of("EXPORTDESK_STORE_URL", url, "EXPORTDESK_STORE_USER", "postgres",
                "EXPORTDESK_STORE_PASSWORD", PASSWORD, "EXPORTDESK_MASTER_SECRET", "the team's secret");
        CliRun cli = new CliRun(dir.resolve("ws"), env);
        CliRun.Result refused = cli.run("contract", "list");
        assertThat(refused.code()).as(refused.all()).isEqualTo(ExitCodes.STORE_VERSION);
        assertThat(refused.err()).contains("schema version 18").contains("exportdesk store migrate");
        CliRun.Result status = cli.run("store", "status");
        assertThat(status.code()).as(status.all()).isZero();
        assertThat(status.out()).contains("schema:   18 (this build: ").contains("pending:  19 team store")
                .contains("identity: none yet");

        CliRun.Result migrated = cli.run("store", "migrate");
        assertThat(migrated.code()).as(migrated.all()).isZero();
        assertThat(migrated.out()).contains("migrated the team store from schema version 18 to ");
        assertThat(cli.run("contract", "list").code()).isZero();
        CliRun.Result again = cli.run("store", "migrate");
        assertThat(again.out()).contains("nothing to migrate");

        // another key cannot migrate (or even inspect) the store: refused before anything is written
        Map<String, String> wrongKey = new java.util.HashMap<>(env);
        wrongKey.put("EXPORTDESK_MASTER_SECRET", "not the team's");
        CliRun wrong = new CliRun(dir.resolve("other"), wrongKey);
        assertThat(wrong.run("store", "migrate").code()).isEqualTo(ExitCodes.INVALID_INPUT);
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement st = c.createStatement();
             var rs = st.executeQuery("SELECT action FROM audit_log ORDER BY id")) {
            List<String> actions = new java.util.ArrayList<>();
            while (rs.next()) {
                actions.add(rs.getString(1));
            }
            assertThat(actions).containsExactly("store.init", "store.migrate");
        }
    }
}
