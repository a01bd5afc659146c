package dev.exportdesk.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.engine.EngineServices;
import dev.exportdesk.engine.ProgressListener;
import dev.exportdesk.engine.runs.RunResult;
import dev.exportdesk.secret.MasterKey;
import dev.exportdesk.secret.SecretVault;
import dev.exportdesk.store.ChunkRecord;
import dev.exportdesk.store.Workspace;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.SourceDb;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Prometheus endpoint scraped over real HTTP after a real export: every line is valid text
 * exposition format, and the series match what the state store holds. /health answers 200 while
 * the store does and 503 once it is gone, in bounded time; a non-loopback bind is refused.
 */
@Timeout(120)
class ObservabilityServerTest {
    /** A sample line: name, optional labels with escaped values, a value, an optional timestamp. */
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\",?)*\\})? "
                    + "(-?[0-9.]+(?:[eE][-+]?[0-9]+)?|NaN|[+-]Inf)( -?[0-9]+)?");
    private static final Pattern COMMENT = Pattern.compile("# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*");
    private static final String PLANTED_SECRET = "PLANTED-SECRET-VALUE-77ad";
    private static final String SOURCE_MARKER = "PLANTED-SOURCE-VALUE-31b2";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    @TempDir
    Path dir;

    @Test
    void metricsMatchTheStoreAfterARealExportAndHealthFollowsTheStore() throws Exception {
        SourceDb db = SourceDb.h2(dir);
        db.exec("CREATE TABLE items (id BIGINT PRIMARY KEY, name VARCHAR(200), "
                + "updated_at TIMESTAMP WITH TIME ZONE NOT NULL)");
        try (Connection c = db.connect(); PreparedStatement st = c.prepareStatement("INSERT INTO items VALUES (?, ?, ?)")) {
            for (int id = 1; id <= 23; id++) {
                st.setLong(1, id);
                st.setString(2, id == 5 ? SOURCE_MARKER : "item " + id);
                st.setObject(3, OffsetDateTime.of(2024, 3, 1, 12, 0, id, 0, ZoneOffset.UTC));
                st.addBatch();
            }
            st.executeBatch();
        }
        Workspace workspace = Workspace.open(dir.resolve("ws"));
        try {
            new SecretVault(workspace.store(), () -> MasterKey.load(workspace.root(), Map.of()), Clock.systemUTC())
                    .set("planted", PLANTED_SECRET, "sftp://127.0.0.1:22", "admin");
            EngineContext base = EngineContext.forWorkspace(workspace, Map.of(), Clock.systemUTC(), "test", ms -> { });
            try (ObservabilityServer server = ObservabilityServer.start(new InetSocketAddress("127.0.0.1", 0), false,
                    EngineServices.of(base), Duration.ofMinutes(2))) {
                // the engine reports its timings to the server's registry, as a worker's would
                EngineServices engine = EngineServices.of(base.withEvents(server.listener()));
                ObjectNode contract = Contracts.base("orders", db, "items", dir.resolve("drop"));
                ((ObjectNode) contract.get("chunk")).put("max_rows", 5);
                contract.putObject("slo").put("max_delivery_lag", "1h");
                engine.contracts().importContract(contract.toString(), "c.json", false);
                RunResult run = engine.engine().run("orders", ProgressListener.NONE);
                assertThat(run.completed()).isTrue();
                List<ChunkRecord> chunks = workspace.store().inTransaction(c -> workspace.store().chunks()
                        .forRun(c, run.run().id()));
                long rows = chunks.stream().mapToLong(ChunkRecord::rowCount).sum();
                long bytes = chunks.stream().mapToLong(ChunkRecord::byteCount).sum();
                assertThat(rows).isEqualTo(23);

                HttpResponse<String> scrape = get(server, "/metrics");

                assertThat(scrape.statusCode()).isEqualTo(200);
                assertThat(scrape.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
                Map<String, Double> series = parse(scrape.body());
                assertThat(series).containsEntry("exportdesk_runs{contract=\"orders\",state=\"COMPLETED\"}", 1.0)
                        .containsEntry("exportdesk_rows_shipped{contract=\"orders\"}", (double) rows)
                        .containsEntry("exportdesk_bytes_shipped{contract=\"orders\"}", (double) bytes)
                        .containsEntry("exportdesk_delivery_retries{contract=\"orders\"}", 0.0)
                        .containsEntry("exportdesk_delivery_lag_slo_seconds{contract=\"orders\"}", 3600.0)
                        .containsEntry("exportdesk_slo_breached{contract=\"orders\"}", 0.0)
                        .containsEntry("exportdesk_receipt_lag_seconds{contract=\"orders\"}", 0.0)
                        .containsEntry("exportdesk_chunk_seal_seconds_count{contract=\"orders\"}", (double) chunks.size())
                        .containsEntry("exportdesk_chunk_delivery_seconds_count{contract=\"orders\"}",
                                (double) chunks.size())
                        .containsKey("exportdesk_delivery_lag_seconds{contract=\"orders\"}");
                // solo store: no worker tables, so no worker series rather than a false zero
                assertThat(series.keySet()).noneMatch(k -> k.startsWith("exportdesk_workers"));
                assertThat(scrape.body()).doesNotContain(PLANTED_SECRET).doesNotContain(SOURCE_MARKER)
                        .doesNotContain(run.run().id());

                HttpResponse<String> health = get(server, "/health");
                assertThat(health.statusCode()).isEqualTo(200);
                assertThat(get(server, "/other").statusCode()).isEqualTo(404);

                workspace.close();
                long started = System.nanoTime();
                assertThat(get(server, "/health").statusCode()).isEqualTo(503);
                assertThat(Duration.ofNanos(System.nanoTime() - started))
                        .isLessThan(ObservabilityServer.HEALTH_TIMEOUT.plusSeconds(5));
                assertThat(get(server, "/metrics").statusCode()).as("in-process series still served").isEqualTo(200);
            }
        } finally {
            workspace.close();
        }
    }

    @Test
    void aNonLoopbackAddressIsRefusedUnlessAllowed() throws Exception {
        try (Workspace workspace = Workspace.open(dir.resolve("ws"))) {
            EngineServices services = EngineServices.of(EngineContext.forWorkspace(workspace, Map.of(),
                    Clock.systemUTC(), "test", ms -> { }));
            assertThatThrownBy(() -> ObservabilityServer.start(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0),
                    false, services, Duration.ofMinutes(2))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not a loopback address");
        }
    }

    private HttpResponse<String> get(ObservabilityServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().getPort() + path))
                .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Every line must be a comment or a sample; returns the samples by name and labels. */
    private static Map<String, Double> parse(String body) {
        Map<String, Double> out = new HashMap<>();
        for (String line : body.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                assertThat(line.isEmpty() || COMMENT.matcher(line).matches()).as("comment line: %s", line).isTrue();
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertThat(m.matches()).as("sample line: %s", line).isTrue();
            out.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)
                    .replace("+Inf", "Infinity").replace("-Inf", "-Infinity")));
        }
        return out;
    }
}
