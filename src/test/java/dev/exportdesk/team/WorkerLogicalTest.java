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
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A logical contract in team mode: workers copy the table and stream the slot on schedule, and
 * when the worker streaming a run is SIGKILLed another takes the run over and finishes it from the
 * sealed chunks and the slot — the partner's copy equals the source, hard deletes included.
 */
class WorkerLogicalTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void workersCopyAndStreamAndATakeoverFinishesAStreamRun() throws Exception {
        SourceDb db = SourceDb.logical();
        String slot = "team_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        db.exec("CREATE TABLE items (id BIGINT PRIMARY KEY, version INT NOT NULL, payload TEXT NOT NULL)",
                "ALTER TABLE items REPLICA IDENTITY FULL",
                "CREATE PUBLICATION team_pub FOR TABLE items",
                "INSERT INTO items SELECT g, 1, 'row ' || g FROM generate_series(1, 5000) g");
        ObjectNode contract = Contracts.base("items", db, "items", dir.resolve("drop"));
        ((ObjectNode) contract.get("chunk")).put("max_rows", 50);
        Contracts.logical(contract, "team_pub", slot);
        contract.putObject("schedule").put("interval", "1m");
        Files.writeString(dir.resolve("items.json"), contract.toString());

        try (TeamWorkers team = new TeamWorkers(dir)) {
            assertThat(team.cli("import.log", 120, "contract", "import", dir.resolve("items.json").toString()))
                    .as(team.log("import.log")).isZero();
            TeamWorkers.Worker w1 = team.start("w1", "3s");
            TeamWorkers.Worker w2 = team.start("w2", "3s");
            awaitCompleted(team, 1);

            // many small transactions: the stream run takes long enough to be killed in the middle
            db.exec("DO $$ BEGIN FOR i IN 0..1499 LOOP "
                    + "UPDATE items SET version = version + 1, payload = 'changed ' || i WHERE id = 1 + 3 * i; "
                    + "DELETE FROM items WHERE id = 2 + 3 * i; COMMIT; END LOOP; END $$");
            makeDue(team);
            String holder = awaitHolder(team);
            TeamWorkers.Worker victim = holder.equals("w1") ? w1 : w2;
            victim.process().destroyForcibly(); // SIGKILL while it streams
            assertThat(victim.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            awaitCompleted(team, 2);
            assertThat(count(team, "SELECT count(*) FROM lease_history WHERE how = 'TAKEOVER'"))
                    .as("the other worker took the stream run over; the claims: %s", claims(team)).isPositive();
        }
        Replay replay = Replay.of(dir.resolve("drop").resolve("items"), "id");
        assertThat(replay.manifests).extracting(m -> m.mode()).containsExactly("full", "incremental");
        Map<String, Integer> partner = replay.versions();
        assertThat(partner).isEqualTo(db.versions("items"));
        assertThat(replay.delivered.stream().filter(r -> r.get("_op").asText().equals("delete")).count())
                .as("hard deletes").isEqualTo(1500);
    }

    private static void makeDue(TeamWorkers team) throws Exception {
        try (Connection c = team.store(); Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE runs SET planned_at = planned_at - interval '61 seconds' WHERE state = 'COMPLETED'");
        }
    }

    private static String awaitHolder(TeamWorkers team) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try (Connection c = team.store(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT l.holder FROM run_leases l JOIN runs r ON r.id = l.run_id WHERE l.state = 'HELD' "
                            + "AND r.state <> 'COMPLETED' AND r.sequence = 2")) {
                if (rs.next()) {
                    return rs.getString(1);
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no worker claimed the stream run within 60 s");
    }

    private static void awaitCompleted(TeamWorkers team, long runs) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (count(team, "SELECT count(*) FROM runs WHERE state = 'COMPLETED'") >= runs) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("run " + runs + " did not complete within 120 s");
    }

    private static java.util.List<String> claims(TeamWorkers team) throws Exception {
        java.util.List<String> out = new java.util.ArrayList<>();
        try (Connection c = team.store(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT run_id, epoch, holder, how, end_reason FROM lease_history ORDER BY claimed_at")) {
            while (rs.next()) {
                out.add(rs.getString(1) + "#" + rs.getLong(2) + " " + rs.getString(3) + " " + rs.getString(4) + " "
                        + rs.getString(5));
            }
        }
        return out;
    }

    private static long count(TeamWorkers team, String sql) throws Exception {
        try (Connection c = team.store(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
