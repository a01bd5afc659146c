package dev.exportdesk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.exportdesk.store.AuditEntry;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.Workspace;
import dev.exportdesk.testing.CliRun;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.SourceDb;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert commands end to end: an administrator allows a webhook and stores its key, a failing
 * {@code run} prints its own error and exit code exactly as without alerts and then says the alert
 * went out, {@code alerts list} shows it; bad URLs and a non-loopback metrics address are refused
 * with the documented exit codes and nothing recorded.
 */
@Timeout(120)
class AlertsCliTest {
    @TempDir
    Path dir;

    @Test
    void aFailingRunAlertsWithoutChangingWhatTheRunReports() throws Exception {
        AtomicInteger received = new AtomicInteger();
        HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
        hook.createContext("/", e -> {
            e.getRequestBody().readAllBytes();
            received.incrementAndGet();
            e.sendResponseHeaders(204, -1);
            e.close();
        });
        hook.start();
        try {
            String url = "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook";
            CliRun cli = new CliRun(dir.resolve("ws"), Map.of("USER", "ada"));
            CliRun.Result refused = cli.run("alerts", "allow", "http://hooks.example.com/x");
            assertThat(refused.code()).isEqualTo(ExitCodes.INVALID_INPUT);
            assertThat(refused.err()).contains("url must be https");
            assertThat(cli.run("alerts", "allow", url).code()).isZero();
            assertThat(cli.run("alerts", "endpoints").out()).contains(url);
            Path key = dir.resolve("key");
            Files.writeString(key, "k3y-for-the-hook");
            assertThat(cli.run("secret", "set", "hook", "--scope", "webhook:" + url.replace("/hook", ""),
                    "--from-file", key.toString()).code()).isZero();

            SourceDb db = SourceDb.h2(dir);
            db.exec("CREATE TABLE orders (id BIGINT PRIMARY KEY, updated_at TIMESTAMP WITH TIME ZONE NOT NULL)",
                    "INSERT INTO orders VALUES (1, TIMESTAMP WITH TIME ZONE '2024-01-01 00:00:00+00')");
            Files.writeString(dir.resolve("blocker"), "a file, not a folder");
            ObjectNode contract = Contracts.base("orders", db, "orders", dir.resolve("blocker").resolve("drop"));
            contract.putObject("retry").put("max_attempts", 1).put("initial_backoff", "1ms").put("max_backoff", "1ms");
            contract.putObject("alerts").putObject("webhook").put("url", url).put("secret", "hook");
            Path file = dir.resolve("orders.json");
            Files.writeString(file, contract.toString());
            assertThat(cli.run("contract", "import", file.toString()).code()).isZero();

            CliRun.Result run = cli.run("run", "orders", "-q");

            assertThat(run.code()).isEqualTo(ExitCodes.RUN_FAILED);
            RunRecord failed = runs().get(0);
            assertThat(run.all()).contains(failed.error());
            assertThat(run.err()).contains("alerts: 1 raised, 1 sent");
            assertThat(received.get()).isEqualTo(1);
            CliRun.Result list = cli.run("alerts", "list");
            assertThat(list.out()).contains("SENT").contains("WEBHOOK").contains("run_failure").contains("orders")
                    .contains("run " + failed.sequence() + " of contract orders failed");
            assertThat(audit()).extracting(AuditEntry::action).contains("alert.allow");
        } finally {
            hook.stop(0);
        }
    }

    @Test
    void monitorRefusesANonLoopbackAddressWithoutBeingToldAndBadAddresses() {
        CliRun cli = new CliRun(dir.resolve("ws"));
        CliRun.Result remote = cli.run("monitor", "--metrics-address", "0.0.0.0:0");
        assertThat(remote.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(remote.err()).contains("not a loopback address").contains("--metrics-allow-remote");
        CliRun.Result bad = cli.run("monitor", "--metrics-address", "nonsense");
        assertThat(bad.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.err()).contains("--metrics-address: give HOST:PORT");
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            CliRun.Result busy = cli.run("monitor", "--metrics-address", "127.0.0.1:" + taken.getLocalPort());
            assertThat(busy.code()).isEqualTo(ExitCodes.UNAVAILABLE);
            assertThat(busy.err()).contains("cannot serve metrics on 127.0.0.1:" + taken.getLocalPort());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        CliRun.Result smtp = cli.run("alerts", "smtp", "--host", "mail.example.com", "--security", "NONE", "--from",
                "x@example.com");
        assertThat(smtp.code()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(smtp.err()).contains("security: NONE");
        assertThat(cli.run("alerts", "smtp").out()).contains("no SMTP server set");
    }

    private List<RunRecord> runs() {
        try (Workspace ws = Workspace.open(dir.resolve("ws"))) {
            return ws.store().inTransaction(c -> ws.store().runs().recent(c, 10));
        }
    }

    private List<AuditEntry> audit() {
        try (Workspace ws = Workspace.open(dir.resolve("ws"))) {
            return ws.store().inTransaction(c -> ws.store().audit().recent(c, 100));
        }
    }
}
