package dev.exportdesk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.exportdesk.testing.ChildJvm;
import dev.exportdesk.testing.CliRun;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.SourceDb;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code exportdesk monitor} as a real process: it serves /health and /metrics on a loopback port,
 * notices on its own timer that a contract's data went stale (no run needed) and sends the signed
 * alert, and stops on SIGTERM.
 */
@Timeout(180)
class MonitorCommandTest {
    private static final Pattern SERVING = Pattern.compile("serving http://127\\.0\\.0\\.1:(\\d+)/metrics");
    @TempDir
    Path dir;

    @Test
    void monitorServesMetricsAndHealthAndAlertsOnItsTimer() throws Exception {
        List<byte[]> received = new CopyOnWriteArrayList<>();
        HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
        hook.createContext("/", e -> {
            received.add(e.getRequestBody().readAllBytes());
            e.sendResponseHeaders(204, -1);
            e.close();
        });
        hook.start();
        Process monitor = null;
        try {
            String url = "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook";
            CliRun cli = new CliRun(dir.resolve("ws"));
            assertThat(cli.run("alerts", "allow", url).code()).isZero();
            Path key = dir.resolve("key");
            Files.writeString(key, "monitor-key");
            assertThat(cli.run("secret", "set", "hook", "--scope", "webhook:http://127.0.0.1:" + hook.getAddress().getPort(),
                    "--from-file", key.toString()).code()).isZero();
            SourceDb db = SourceDb.h2(dir);
            db.exec("CREATE TABLE orders (id BIGINT PRIMARY KEY, updated_at TIMESTAMP WITH TIME ZONE NOT NULL)",
                    "INSERT INTO orders VALUES (1, TIMESTAMP WITH TIME ZONE '2024-01-01 00:00:00+00')");
            ObjectNode contract = Contracts.base("orders", db, "orders", dir.resolve("drop"));
            contract.putObject("slo").put("max_delivery_lag", "1s");
            contract.putObject("alerts").putObject("webhook").put("url", url).put("secret", "hook");
            Path file = dir.resolve("orders.json");
            Files.writeString(file, contract.toString());
            assertThat(cli.run("contract", "import", file.toString()).code()).isZero();
            assertThat(cli.run("run", "orders", "-q").code()).isZero();
            Thread.sleep(1_500); // the partner's data is now older than the SLO allows, and nothing runs

            Path log = dir.resolve("monitor.log");
            monitor = ChildJvm.start(log, List.of("-Xmx256m"), "--workspace", dir.resolve("ws").toString(), "monitor",
                    "--metrics-address", "127.0.0.1:0", "--interval", "1s");
            int port = awaitPort(log, monitor);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

            HttpResponse<String> health = http.send(get(port, "/health"), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            HttpResponse<String> metrics = http.send(get(port, "/metrics"), HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("exportdesk_runs{contract=\"orders\",state=\"COMPLETED\"} 1.0")
                    .contains("exportdesk_slo_breached{contract=\"orders\"} 1.0");

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (received.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(received).hasSize(1);
            JsonNode alert = new ObjectMapper().readTree(received.get(0));
            assertThat(alert.get("event").asText()).isEqualTo("slo_breach");
            assertThat(alert.get("contract").asText()).isEqualTo("orders");

            monitor.destroy(); // SIGTERM
            assertThat(monitor.waitFor(30, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
            assertThat(received).as("one breach, one alert, however many ticks").hasSize(1);
        } finally {
            if (monitor != null && monitor.isAlive()) {
                monitor.destroyForcibly().waitFor();
            }
            hook.stop(0);
        }
    }

    private static HttpRequest get(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(20))
                .GET().build();
    }

    private static int awaitPort(Path log, Process monitor) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log)) {
                Matcher m = SERVING.matcher(Files.readString(log));
                if (m.find()) {
                    return Integer.parseInt(m.group(1));
                }
            }
            if (!monitor.isAlive()) {
                throw new AssertionError("monitor exited: " + Files.readString(log));
            }
            Thread.sleep(100);
        }
        throw new AssertionError("monitor did not start: " + (Files.exists(log) ? Files.readString(log) : ""));
    }
}
