package dev.exportdesk.crash;

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
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three workers share a team store and one scheduled contract whose source keeps changing; at random
 * moments a random worker is SIGKILLed and replaced, at least 20 times (system property
 * {@code exportdesk.killloop.kills}). Afterwards the partner's replay equals the source, no (key,
 * version) was delivered twice, no stray or partial file is visible, manifests are chained and
 * sequences gap-free, and the store's claim history shows no two live leases on one run at any time.
 */
class WorkerKillLoopTest {
    private static final int KILLS = Math.max(20, Integer.getInteger("exportdesk.killloop.kills", 20));
    private static final String LEASE = "3s";

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void sigkillOfRandomWorkersNeverLosesOrDuplicatesAChange() throws Exception {
        SourceDb db = SourceDb.postgres();
        db.exec("CREATE TABLE items (id BIGINT PRIMARY KEY, version INT NOT NULL, payload VARCHAR(200) NOT NULL, "
                + "updated_at TIMESTAMP WITH TIME ZONE NOT NULL, deleted_at TIMESTAMP WITH TIME ZONE)");
        OffsetDateTime base = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(40).withNano(0);
        Random random = new Random(20261204);
        long nextId = ItemsActivity.seed(db, 1, 8000, base);
        Path drop = dir.resolve("drop");
        ObjectNode contract = Contracts.base("items", db, "items", drop);
        contract.put("soft_delete_column", "deleted_at");
        ((ObjectNode) contract.get("chunk")).put("max_rows", 50);
        ((ObjectNode) contract.get("late_data")).put("lookback", "1h");
        ((ObjectNode) contract.get("destination")).put("parallel_transfers", 2);
        contract.putObject("schedule").put("interval", "1m");
        Files.writeString(dir.resolve("items.json"), contract.toString());

        try (TeamWorkers team = new TeamWorkers(dir)) {
            assertThat(team.cli("import.log", 120, "contract", "import", dir.resolve("items.json").toString()))
                    .as(team.log("import.log")).isZero();
            List<TeamWorkers.Worker> live = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                live.add(team.start("w" + i, LEASE));
            }
            int killedHolding = 0;
            OffsetDateTime clock = base.plusMinutes(1);
            for (int k = 0; k < KILLS; k++) {
                clock = clock.plusSeconds(20);
                nextId = ItemsActivity.mutate(db, random, nextId, clock);
                makeDue(team);
                awaitWork(team, live);
                Thread.sleep(random.nextInt(700));
                // half the time the victim is the worker holding the run (if one does), else any of the three
                String holder = holder(team);
                int slot = random.nextInt(live.size());
                if (holder != null && random.nextBoolean()) {
                    for (int i = 0; i < live.size(); i++) {
                        if (live.get(i).name().equals(holder)) {
                            slot = i;
                        }
                    }
                }
                TeamWorkers.Worker victim = live.get(slot);
                boolean holding = victim.name().equals(holder);
                victim.process().destroyForcibly(); // SIGKILL
                assertThat(victim.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
                if (holding) {
                    killedHolding++;
                }
                live.set(slot, team.start(victim.name().replaceAll("-.*", "") + "-" + (k + 1), LEASE));
                if (k % 5 == 4) {
                    // now and then a run is let finish, so that many runs, each taken over, chain their manifests
                    awaitQuiet(team, count(team, "SELECT count(*) FROM runs WHERE state = 'COMPLETED'") - 1);
                }
            }

            // no more kills: two more due times pick up everything the source holds now
            for (int i = 0; i < 2; i++) {
                long before = count(team, "SELECT count(*) FROM runs WHERE state = 'COMPLETED'");
                makeDue(team);
                awaitQuiet(team, before);
            }
            for (TeamWorkers.Worker w : live) {
                // a JVM still starting up has no handler yet and would end with 143, as any Java process
                assertThat(TeamWorkers.await(w, "started", 60)).as(w.output()).isTrue();
                w.signal("TERM");
            }
            for (TeamWorkers.Worker w : live) {
                assertThat(w.process().waitFor(90, TimeUnit.SECONDS)).as(w.name()).isTrue();
                assertThat(w.process().exitValue()).as(w.output()).isZero();
            }

            Replay replay = Replay.of(drop.resolve("items"), "id");
            ItemsActivity.assertReplayIsTheSource(replay, db);
            CrashLoopTest.assertDeliveryFolderIsClean(drop.resolve("items"), replay);

            List<String> overlaps = overlappingLeases(team);
            assertThat(overlaps).as("claims of one run that overlap").isEmpty();
            long takeovers = count(team, "SELECT count(*) FROM lease_history WHERE how = 'TAKEOVER'");
            assertThat(killedHolding).as("kills of a worker holding a run").isGreaterThanOrEqualTo(KILLS / 3);
            assertThat(takeovers).as("takeovers").isGreaterThan(0);
            System.out.printf("worker kill loop: %d kills, %d of a worker holding a run, %d takeovers, %d runs, "
                    + "%d records delivered%n", KILLS, killedHolding, takeovers, replay.manifests.size(),
                    replay.delivered.size());
        }
    }

    /** The schedule's next start comes due now: the last start moves one interval into the past. */
    static void makeDue(TeamWorkers team) throws Exception {
        try (Connection c = team.store(); Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE runs SET planned_at = planned_at - interval '61 seconds' WHERE state = "
                    + "'COMPLETED'");
        }
    }

    /** The worker holding the unfinished run now, if any (one contract: at most one such run at a time). */
    private static String holder(TeamWorkers team) throws Exception {
        try (Connection c = team.store(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT l.holder FROM run_leases l JOIN runs r ON r.id = l.run_id WHERE l.state = 'HELD' AND r.state <> "
                + "'COMPLETED'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** Waits until a live worker holds a run: kills then land on workers at work, not on JVMs starting up. */
    private static void awaitWork(TeamWorkers team, List<TeamWorkers.Worker> live) throws Exception {
        Set<String> names = new HashSet<>();
        live.forEach(w -> names.add(w.name()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String holder = holder(team);
            if (holder != null && names.contains(holder)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no live worker claimed the due run within 60 s\n" + diagnosis(team, live));
    }

    /** What the store and the workers say, for a failure message that can be acted on. */
    private static String diagnosis(TeamWorkers team, List<TeamWorkers.Worker> live) throws Exception {
        StringBuilder out = new StringBuilder();
        try (Connection c = team.store(); Statement st = c.createStatement()) {
            for (String sql : List.of("SELECT id, sequence, mode, state, planned_at, finished_at, attempts, error FROM runs "
                    + "ORDER BY planned_at DESC LIMIT 4", "SELECT * FROM run_leases", "SELECT * FROM lease_history "
                    + "ORDER BY claimed_at DESC LIMIT 4", "SELECT now()")) {
                out.append(sql).append('\n');
                try (ResultSet rs = st.executeQuery(sql)) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= n; i++) {
                            out.append(i > 1 ? " | " : "  ").append(rs.getString(i));
                        }
                        out.append('\n');
                    }
                }
            }
        }
        for (TeamWorkers.Worker w : live) {
            String log = w.output();
            out.append("--- ").append(w.name()).append(w.process().isAlive() ? " (alive)" : " (exited)").append('\n')
                    .append(log, Math.max(0, log.length() - 3000), log.length()).append('\n');
        }
        return out.toString();
    }

    /** Waits until more than {@code completedBefore} runs completed and none is unfinished. */
    static void awaitQuiet(TeamWorkers team, long completedBefore) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
        while (System.nanoTime() < deadline) {
            if (count(team, "SELECT count(*) FROM runs WHERE state = 'COMPLETED'") > completedBefore
                    && count(team, "SELECT count(*) FROM runs WHERE state <> 'COMPLETED'") == 0) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the workers did not complete a run in time after the kills");
    }

    /**
     * Consecutive claims of one run whose lifetimes overlap: a claim must come after the previous one
     * ended, and a takeover after the previous lease had expired.
     */
    static List<String> overlappingLeases(TeamWorkers team) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = team.store(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT run_id, epoch, claimed_at, ended_at, expired_at, end_reason FROM lease_history "
                        + "ORDER BY run_id, epoch")) {
            String run = null;
            long epoch = 0;
            Timestamp ended = null;
            Timestamp expired = null;
            String reason = null;
            while (rs.next()) {
                String r = rs.getString(1);
                long e = rs.getLong(2);
                Timestamp claimed = rs.getTimestamp(3);
                if (r.equals(run)) {
                    if (e != epoch + 1) {
                        out.add(r + ": epoch " + e + " follows " + epoch);
                    }
                    if (ended == null || claimed.before(ended)) {
                        out.add(r + ": epoch " + e + " claimed at " + claimed + " while epoch " + epoch
                                + " had not ended (" + ended + ")");
                    }
                    if ("TAKEN_OVER".equals(reason) && (expired == null || claimed.before(expired))) {
                        out.add(r + ": epoch " + e + " took over at " + claimed + " before epoch " + epoch
                                + " expired at " + expired);
                    }
                } else if (e != 1) {
                    out.add(r + ": first claim has epoch " + e);
                }
                run = r;
                epoch = e;
                ended = rs.getTimestamp(4);
                expired = rs.getTimestamp(5);
                reason = rs.getString(6);
            }
        }
        return out;
    }

    static long count(TeamWorkers team, String sql) throws Exception {
        try (Connection c = team.store(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
