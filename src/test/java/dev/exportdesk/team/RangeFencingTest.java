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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fencing of a parallel backfill's key ranges with real processes: worker B executes a split run and
 * worker A captures one of its ranges; A is frozen (SIGSTOP) mid-range, its claim expires, B takes the
 * range over and completes the run; then A is thawed. A writes nothing more to the store and delivers
 * nothing (every row and delivered file, inode included, unchanged), and says why in its log. Every
 * row reaches the partner once.
 */
class RangeFencingTest {
    private static final int ROWS = 40_000;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aRangeWorkerThatWakesUpAfterATakeoverWritesAndDeliversNothing() throws Exception {
        SourceDb db = SourceDb.postgres();
        TeamWorkers.seedItems(db, ROWS);
        Path drop = dir.resolve("drop");
        ObjectNode contract = Contracts.base("items", db, "items", drop);
        ((ObjectNode) contract.get("chunk")).put("max_rows", 200);
        contract.putObject("backfill").put("max_workers", 2).put("segment_rows", 4000);
        Files.writeString(dir.resolve("items.json"), contract.toString());

        try (TeamWorkers team = new TeamWorkers(dir)) {
            assertThat(team.cli("import.log", 120, "contract", "import", dir.resolve("items.json").toString()))
                    .as(team.log("import.log")).isZero();
            assertThat(team.cli("request.log", 120, "request", "run", "items")).as(team.log("request.log")).isZero();
            TeamWorkers.Worker b = team.start("b", "30s");
            assertThat(TeamWorkers.await(b, "claimed run", 90)).as(b.output()).isTrue();
            TeamWorkers.Worker a = team.start("a", "3s");
            assertThat(TeamWorkers.await(a, "claimed key range", 90)).as(a.output()).isTrue();
            int range = awaitSealedBy(team, "a", 2);
            a.signal("STOP");

            awaitCompleted(team, a, b);
            assertThat(value(team, "SELECT holder FROM segment_claims WHERE segment = " + range
                    + " ORDER BY epoch DESC FETCH FIRST 1 ROWS ONLY")).as("range %d taken over", range).isEqualTo("b");
            Map<String, List<String>> storeBefore;
            try (Connection c = team.store()) {
                storeBefore = TeamStoreSnapshot.rows(c);
            }
            Map<String, String> filesBefore = TeamStoreSnapshot.files(drop);

            a.signal("CONT");
            assertThat(TeamWorkers.await(a, "range " + range + " of run", 60)).as(a.output()).isTrue();
            Thread.sleep(4000); // room for anything it would still do: a seal, a delivery, the next progress report

            try (Connection c = team.store()) {
                assertThat(TeamStoreSnapshot.rows(c)).as("store rows after the stale range worker woke up")
                        .isEqualTo(storeBefore);
            }
            assertThat(TeamStoreSnapshot.files(drop)).as("delivered files after the stale range worker woke up")
                    .isEqualTo(filesBefore);
            assertThat(a.output()).containsPattern("range " + range + " of run .*(could not be renewed|claimed it since)")
                    .doesNotContain("failed");

            a.signal("TERM");
            b.signal("TERM");
            assertThat(a.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(b.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(a.process().exitValue()).as(a.output()).isZero();

            Replay replay = Replay.of(drop.resolve("items"), "id");
            assertThat(replay.manifests).hasSize(1);
            assertThat(replay.delivered).hasSize(ROWS);
            Set<String> keys = new HashSet<>();
            replay.delivered.forEach(r -> keys.add(r.get("id").asText()));
            assertThat(keys).hasSize(ROWS);
        }
    }

    /** Waits until worker {@code holder}'s current range has {@code n} sealed chunks; returns the range. */
    private static int awaitSealedBy(TeamWorkers team, String holder, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            try (Connection c = team.store(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT s.segment, count(ch.seq) FROM run_segments s LEFT JOIN chunks ch ON ch.run_id = s.run_id "
                            + "AND ch.segment = s.segment WHERE s.state = 'HELD' AND s.holder = '" + holder
                            + "' GROUP BY s.segment")) {
                if (rs.next() && rs.getLong(2) >= n) {
                    return rs.getInt(1);
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("worker " + holder + " sealed no " + n + " chunks of a range in time");
    }

    private static void awaitCompleted(TeamWorkers team, TeamWorkers.Worker a, TeamWorkers.Worker b)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if ("COMPLETED".equals(value(team, "SELECT state FROM runs"))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the run did not complete in time; worker a said:\n" + a.output()
                + "\nworker b said:\n" + b.output() + "\nranges: " + value(team, "SELECT string_agg(segment || ' '"
                + " || state || ' ' || coalesce(holder, '-') || ' ' || epoch, ', ' ORDER BY segment) FROM run_segments")
                + "\nrun: " + value(team, "SELECT state || ' ' || coalesce(error, '') FROM runs"));
    }

    private static String value(TeamWorkers team, String sql) throws Exception {
        try (Connection c = team.store(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
