package dev.exportdesk.team;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.Replay;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.TeamWorkers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests and a clean stop, with real processes: Run now is executed by a worker; SIGTERM parks its
 * run (exit 0) and another worker takes the run over at once, long before the lease would expire;
 * Cancel stops that worker's run (FAILED, "cancelled by"); Resume completes it. Every row reaches the
 * partner once. A second worker of a running worker's name, or a bad option, is refused and registers
 * nothing.
 */
class WorkerRequestsTest {
    // long enough (at 50 rows a chunk) that the taken-over run is still capturing when the Cancel comes
    private static final int ROWS = 60_000;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void runNowParkOnSigtermCancelAndResume() throws Exception {
        SourceDb db = SourceDb.postgres();
        TeamWorkers.seedItems(db, ROWS);
        Path drop = dir.resolve("drop");
        ObjectNode contract = Contracts.base("items", db, "items", drop);
        ((ObjectNode) contract.get("chunk")).put("max_rows", 50);
        // receipts expected: each delivered chunk's copy is retained by the worker that delivered it
        ((ObjectNode) contract.get("destination")).put("ack_deadline", "1h");
        Files.writeString(dir.resolve("items.json"), contract.toString());

        try (TeamWorkers team = new TeamWorkers(dir)) {
            assertThat(team.cli("import.log", 120, "contract", "import", dir.resolve("items.json").toString()))
                    .as(team.log("import.log")).isZero();
            assertThat(team.cli("request.log", 120, "request", "run", "items")).as(team.log("request.log")).isZero();
            // a lease far longer than the test: every takeover below comes from a park, not an expiry
            TeamWorkers.Worker a = team.start("a", "10m");
            assertThat(TeamWorkers.await(a, "by run request", 90)).as(a.output()).isTrue();
            String runId = awaitSealed(team, 3);

            a.signal("TERM");
            assertThat(a.process().waitFor(60, TimeUnit.SECONDS)).as(a.output()).isTrue();
            assertThat(a.process().exitValue()).as(a.output()).isZero();
            assertThat(a.output()).contains("parked run " + runId).contains("worker a stopped");
            assertThat(value(team, "SELECT state FROM run_leases")).isEqualTo("PARKED");
            assertThat(value(team, "SELECT error FROM runs")).startsWith("parked: worker a stopped");

            TeamWorkers.Worker b = team.start("b", "10m", "--metrics-address", "127.0.0.1:0");
            assertThat(TeamWorkers.await(b, "claimed run " + runId, 60)).as(b.output()).isTrue();
            assertThat(b.output()).contains("by takeover");
            String workersBefore = value(team, "SELECT string_agg(name || ' ' || pid || ' ' || started_at, ', ' "
                    + "ORDER BY name) FROM workers");
            assertThat(team.cli("same-name.log", 120, "worker", "--name", "b")).as(team.log("same-name.log"))
                    .isEqualTo(3);
            assertThat(team.log("same-name.log")).contains("a worker named \"b\" is running");
            assertThat(team.cli("bad-timeout.log", 120, "worker", "--lease-timeout", "5x")).isEqualTo(2);
            assertThat(team.log("bad-timeout.log")).contains("--lease-timeout").doesNotContain("\tat ");
            assertThat(value(team, "SELECT string_agg(name || ' ' || pid || ' ' || started_at, ', ' ORDER BY name) "
                    + "FROM workers")).as("a refused worker registers nothing").isEqualTo(workersBefore);
            awaitSealedMore(team, runId);
            assertThat(team.cli("cancel.log", 120, "request", "cancel", runId, "--wait", "60s"))
                    .as(team.log("cancel.log")).isZero();
            assertThat(TeamWorkers.await(b, "released run " + runId, 60)).as(b.output()).isTrue();
            assertThat(value(team, "SELECT state FROM runs")).isEqualTo("FAILED");
            assertThat(value(team, "SELECT error FROM runs")).startsWith("cancelled by ");
            // `status` counts what the cancelled run sealed, not the zeros the store keeps until it completes
            assertThat(team.cli("status.log", 120, "status")).as(team.log("status.log")).isZero();
            long sealedRows = Long.parseLong(value(team, "SELECT sum(row_count) FROM chunks WHERE sha256 IS NOT NULL"));
            assertThat(sealedRows).isPositive();
            assertThat(team.log("status.log")).containsPattern(runId.substring(0, 8) + " .*FAILED .* "
                    + String.format(java.util.Locale.ROOT, "%,d", sealedRows) + " ");

            // the worker serves the team's metrics: itself, and the takeover it made, read from the store
            // (scraped only now: waiting for them earlier would give the run time to finish before the Cancel)
            String metrics = scrape(b);
            assertThat(metricValue(metrics, "exportdesk_workers")).as(metrics).isGreaterThanOrEqualTo(1.0);
            assertThat(metricValue(metrics, "exportdesk_lease_takeovers")).as(metrics).isGreaterThanOrEqualTo(1.0);

            assertThat(team.cli("resume.log", 180, "request", "resume", runId, "--wait", "150s"))
                    .as(team.log("resume.log") + b.output()).isZero();
            assertThat(value(team, "SELECT state FROM runs")).isEqualTo("COMPLETED");
            assertThat(value(team, "SELECT count(*) FROM chunks WHERE seq > 0 AND (retained_by IS NULL "
                    + "OR retained_by NOT IN ('a', 'b'))")).as("chunks whose keeper is not recorded").isEqualTo("0");
            assertThat(value(team, "SELECT count(*) FROM chunks WHERE retained_by = 'b'")).isNotEqualTo("0");
            // the Run now ended with the cancelled attempt; the cancel and the resume were done
            assertThat(value(team, "SELECT outcome FROM run_requests WHERE kind = 'RUN' AND state = 'FAILED'"))
                    .contains("cancelled by");
            assertThat(value(team, "SELECT count(*) FROM run_requests WHERE kind IN ('CANCEL', 'RESUME') "
                    + "AND state = 'DONE'")).isEqualTo("2");
            assertThat(value(team, "SELECT count(*) FROM audit_log WHERE action LIKE 'run.request.%'"))
                    .isEqualTo("3");
            b.signal("TERM");
            assertThat(b.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(b.process().exitValue()).as(b.output()).isZero();

            Replay replay = Replay.of(drop.resolve("items"), "id");
            Set<String> keys = new HashSet<>();
            replay.delivered.forEach(r -> keys.add(r.get("id").asText()));
            assertThat(replay.delivered).hasSize(ROWS);
            assertThat(keys).hasSize(ROWS);
        }
    }

    /** GET /metrics from the address the worker said it serves (port 0 picked a free one). */
    private static String scrape(TeamWorkers.Worker w) throws Exception {
        assertThat(TeamWorkers.await(w, "serving http://", 60)).as(w.output()).isTrue();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("serving (http://[0-9.]+:[0-9]+)/metrics")
                .matcher(w.output());
        assertThat(m.find()).as(w.output()).isTrue();
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                .connectTimeout(java.time.Duration.ofSeconds(5)).build();
        // the store is read at most every few seconds: wait until the series show the takeover
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String body = "";
        while (System.nanoTime() < deadline) {
            body = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(m.group(1) + "/metrics"))
                    .timeout(java.time.Duration.ofSeconds(10)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            if (metricValue(body, "exportdesk_lease_takeovers") >= 1) {
                return body;
            }
            Thread.sleep(500);
        }
        return body;
    }

    private static double metricValue(String exposition, String name) {
        for (String line : exposition.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return -1;
    }

    private static String awaitSealed(TeamWorkers team, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            try (Connection c = team.store(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT run_id, count(*) FROM chunks WHERE sha256 IS NOT NULL GROUP BY run_id")) {
                if (rs.next() && rs.getLong(2) >= n) {
                    return rs.getString(1);
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no run sealed " + n + " chunks in time");
    }

    /** Waits until the new holder sealed a chunk of its own: it is capturing when the cancel comes. */
    private static void awaitSealedMore(TeamWorkers team, String runId) throws Exception {
        long before = Long.parseLong(value(team, "SELECT count(*) FROM chunks WHERE sha256 IS NOT NULL"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Long.parseLong(value(team, "SELECT count(*) FROM chunks WHERE sha256 IS NOT NULL")) > before) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("run " + runId + " sealed nothing after the takeover");
    }

    private static String value(TeamWorkers team, String sql) throws Exception {
        try (Connection c = team.store(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
