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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fencing with real processes: worker A claims a run and is frozen (SIGSTOP) in the middle of it; its
 * lease expires, worker B takes the run over and completes it; then A is thawed (SIGCONT). A must
 * write nothing more to the store and deliver nothing (every row and every delivered file, inode
 * included, the same before and after it wakes), say in its log that it lost the lease, and still
 * stop cleanly on SIGTERM. The partner's data is the source's, each row once.
 */
class WorkerFencingTest {
    private static final int ROWS = 30_000;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aWorkerThatWakesUpAfterATakeoverWritesAndDeliversNothing() throws Exception {
        SourceDb db = SourceDb.postgres();
        TeamWorkers.seedItems(db, ROWS);
        Path drop = dir.resolve("drop");
        ObjectNode contract = Contracts.base("items", db, "items", drop);
        ((ObjectNode) contract.get("chunk")).put("max_rows", 200);
        Files.writeString(dir.resolve("items.json"), contract.toString());

        try (TeamWorkers team = new TeamWorkers(dir)) {
            assertThat(team.cli("import.log", 120, "contract", "import", dir.resolve("items.json").toString()))
                    .as(team.log("import.log")).isZero();
            assertThat(team.cli("request.log", 120, "request", "run", "items")).as(team.log("request.log")).isZero();

            TeamWorkers.Worker a = team.start("a", "3s");
            assertThat(TeamWorkers.await(a, "claimed run", 90)).as(a.output()).isTrue();
            String runId = awaitSealed(team, 3);
            a.signal("STOP");

            TeamWorkers.Worker b = team.start("b", "3s");
            assertThat(TeamWorkers.await(b, "by takeover", 90)).as(b.output()).isTrue();
            awaitCompleted(team, runId);
            assertThat(TeamWorkers.await(b, "released run " + runId, 30)).as(b.output()).isTrue();

            Map<String, List<String>> storeBefore;
            try (Connection c = team.store()) {
                storeBefore = TeamStoreSnapshot.rows(c);
            }
            Map<String, String> filesBefore = TeamStoreSnapshot.files(drop);

            a.signal("CONT");
            assertThat(TeamWorkers.await(a, "lost run " + runId, 60)).as(a.output()).isTrue();
            Thread.sleep(4000); // room for anything it would still do: retries, the next progress report

            try (Connection c = team.store()) {
                assertThat(TeamStoreSnapshot.rows(c)).as("store rows after the stale worker woke up")
                        .isEqualTo(storeBefore);
            }
            assertThat(TeamStoreSnapshot.files(drop)).as("delivered files after the stale worker woke up")
                    .isEqualTo(filesBefore);
            assertThat(a.output()).containsPattern("lost run " + runId + ".*(claimed it since|could not be renewed)");

            a.signal("TERM");
            b.signal("TERM");
            assertThat(a.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(b.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(a.process().exitValue()).as(a.output()).isZero();
            assertThat(b.process().exitValue()).as(b.output()).isZero();
            assertThat(a.output()).contains("worker a stopped");
            System.out.printf("fencing: worker a said:%n%s%nworker b said:%n%s%n", a.output(), b.output());

            Replay replay = Replay.of(drop.resolve("items"), "id");
            assertThat(replay.manifests).hasSize(1);
            assertThat(replay.delivered).hasSize(ROWS);
            Set<String> keys = new HashSet<>();
            replay.delivered.forEach(r -> keys.add(r.get("id").asText()));
            assertThat(keys).hasSize(ROWS);
            try (Connection c = team.store(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT state, outcome FROM run_requests")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).as(rs.getString(2)).isEqualTo("DONE");
            }
        }
    }

    /** Waits until the only run has {@code n} sealed chunks; returns its id. */
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

    private static void awaitCompleted(TeamWorkers team, String runId) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            try (Connection c = team.store(); PreparedStatement st = c.prepareStatement(
                    "SELECT state FROM runs WHERE id = ?")) {
                st.setString(1, runId);
                try (ResultSet rs = st.executeQuery()) {
                    if (rs.next() && rs.getString(1).equals("COMPLETED")) {
                        return;
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("run " + runId + " did not complete in time");
    }
}
