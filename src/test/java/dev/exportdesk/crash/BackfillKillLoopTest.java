package dev.exportdesk.crash;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A parallel backfill under SIGKILL (issue 13, item 4): the first export of a 60,000-row table, split
 * into key ranges that three workers share (at most two at a time, the contract's cap), while the
 * source keeps changing and a random worker — half the time one capturing a range — is SIGKILLed and
 * replaced at random moments, at least 10 times (system property {@code exportdesk.backfill.kills}).
 * Afterwards, and after two increments: the partner's replay equals the source, no (key, version)
 * twice, no stray file; the backfill is one run whose chunks are numbered 1…N without a gap and
 * listed in (cursor, key) order; no two claims of one range were ever live at once, and never more
 * than two ranges of the run at once.
 */
class BackfillKillLoopTest {
    private static final int KILLS = Math.max(10, Integer.getInteger("exportdesk.backfill.kills", 10));
    private static final String LEASE = "3s";
    private static final int CAP = 2;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void sigkillsDuringAParallelBackfillLoseAndDuplicateNothing() throws Exception {
        SourceDb db = SourceDb.postgres();
        db.exec("CREATE TABLE items (id BIGINT PRIMARY KEY, version INT NOT NULL, payload VARCHAR(200) NOT NULL, "
                + "updated_at TIMESTAMP WITH TIME ZONE NOT NULL, deleted_at TIMESTAMP WITH TIME ZONE)");
        OffsetDateTime base = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(40).withNano(0);
        Random random = new Random(20261205);
        long nextId = ItemsActivity.seed(db, 1, 60_000, base);
        Path drop = dir.resolve("drop");
        ObjectNode contract = Contracts.base("items", db, "items", drop);
        contract.put("soft_delete_column", "deleted_at");
        ((ObjectNode) contract.get("chunk")).put("max_rows", 200);
        ((ObjectNode) contract.get("late_data")).put("lookback", "1h");
        contract.putObject("schedule").put("interval", "1m");
        contract.putObject("backfill").put("max_workers", CAP).put("segment_rows", 2000);
        Files.writeString(dir.resolve("items.json"), contract.toString());

        try (TeamWorkers team = new TeamWorkers(dir)) {
            assertThat(team.cli("import.log", 120, "contract", "import", dir.resolve("items.json").toString()))
                    .as(team.log("import.log")).isZero();
            List<TeamWorkers.Worker> live = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                live.add(team.start("w" + i, LEASE));
            }
            int kills = 0;
            int killedCapturing = 0;
            OffsetDateTime clock = base.plusMinutes(30);
            while (kills < KILLS && awaitCapture(team)) {
                Thread.sleep(random.nextInt(700));
                clock = clock.plusSeconds(20);
                nextId = ItemsActivity.mutate(db, random, nextId, clock);
                List<String> capturing = capturing(team);
                int slot = random.nextInt(live.size());
                // every other kill (at least) aims at a worker capturing a range, when one is
                if (!capturing.isEmpty() && (kills % 2 == 0 || random.nextBoolean())) {
                    String target = capturing.get(random.nextInt(capturing.size()));
                    for (int i = 0; i < live.size(); i++) {
                        if (live.get(i).name().equals(target)) {
                            slot = i;
                        }
                    }
                }
                TeamWorkers.Worker victim = live.get(slot);
                if (capturing.contains(victim.name())) {
                    killedCapturing++;
                }
                victim.process().destroyForcibly(); // SIGKILL
                assertThat(victim.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
                kills++;
                live.set(slot, team.start(victim.name().replaceAll("-.*", "") + "-" + kills, LEASE));
            }
            assertThat(kills).as("kills while the backfill was capturing (it ended too soon?)").isEqualTo(KILLS);
            WorkerKillLoopTest.awaitQuiet(team, 0);
            for (int i = 0; i < 2; i++) {
                long before = WorkerKillLoopTest.count(team, "SELECT count(*) FROM runs WHERE state = 'COMPLETED'");
                WorkerKillLoopTest.makeDue(team);
                WorkerKillLoopTest.awaitQuiet(team, before);
            }
            for (TeamWorkers.Worker w : live) {
                assertThat(TeamWorkers.await(w, "started", 60)).as(w.output()).isTrue();
                w.signal("TERM");
            }
            for (TeamWorkers.Worker w : live) {
                assertThat(w.process().waitFor(90, TimeUnit.SECONDS)).as(w.name()).isTrue();
            }

            Replay replay = Replay.of(drop.resolve("items"), "id");
            ItemsActivity.assertReplayIsTheSource(replay, db);
            CrashLoopTest.assertDeliveryFolderIsClean(drop.resolve("items"), replay);

            // the backfill: one run, chunks numbered 1..N, applied in (updated_at, id) order
            long backfillRows = replay.manifests.get(0).rows();
            assertThat(backfillRows).isGreaterThanOrEqualTo(50_000);
            List<String> disorder = new ArrayList<>();
            for (int i = 1; i < backfillRows; i++) {
                if (compare(replay.delivered.get(i - 1), replay.delivered.get(i)) >= 0) {
                    disorder.add(replay.delivered.get(i - 1).get("id") + " before " + replay.delivered.get(i).get("id"));
                }
            }
            assertThat(disorder).as("backfill records out of (cursor, key) order").isEmpty();
            String backfillRun = replay.manifests.get(0).runId();
            assertThat(WorkerKillLoopTest.count(team, "SELECT count(*) FROM run_segments WHERE run_id = '"
                    + backfillRun + "'")).as("key ranges").isEqualTo(30);
            long chunks = WorkerKillLoopTest.count(team, "SELECT count(*) FROM chunks WHERE run_id = '" + backfillRun + "'");
            assertThat(WorkerKillLoopTest.count(team, "SELECT max(seq) FROM chunks WHERE run_id = '" + backfillRun + "'"))
                    .as("highest chunk number of %d chunks", chunks).isEqualTo(chunks);
            assertThat(replay.manifests.get(0).chunks()).hasSize((int) chunks);

            List<String> overlaps = overlappingClaims(team);
            assertThat(overlaps).as("claims of one range that overlap").isEmpty();
            assertThat(mostLiveAtOnce(team, backfillRun)).as("ranges captured at once").isBetween(1, CAP);
            assertThat(WorkerKillLoopTest.count(team, "SELECT count(DISTINCT holder) FROM segment_claims"))
                    .as("workers that captured ranges").isGreaterThanOrEqualTo(2);
            long takeovers = WorkerKillLoopTest.count(team, "SELECT count(*) FROM segment_claims WHERE end_reason "
                    + "= 'TAKEN_OVER'");
            assertThat(killedCapturing).as("kills of a worker capturing a range").isGreaterThanOrEqualTo(KILLS / 4);
            assertThat(takeovers).as("range takeovers").isGreaterThan(0);
            System.out.printf("backfill kill loop: %d kills, %d of a worker capturing a range, %d range takeovers, "
                    + "%d chunks in the backfill, %d records delivered%n", kills, killedCapturing, takeovers, chunks,
                    replay.delivered.size());
        }
    }

    private static int compare(JsonNode a, JsonNode b) {
        int byTime = Instant.parse(a.get("updated_at").asText()).compareTo(Instant.parse(b.get("updated_at").asText()));
        return byTime != 0 ? byTime : Long.compare(a.get("id").asLong(), b.get("id").asLong());
    }

    /** Waits until a range is being captured; false once the backfill run completed. */
    private static boolean awaitCapture(TeamWorkers team) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!capturing(team).isEmpty()) {
                return true;
            }
            if (WorkerKillLoopTest.count(team, "SELECT count(*) FROM runs WHERE state = 'COMPLETED'") > 0) {
                return false;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no worker captured a key range within 90 s");
    }

    /** The workers holding a live claim on a range now. */
    private static List<String> capturing(TeamWorkers team) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = team.store(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT holder FROM run_segments WHERE state = 'HELD' AND expires_at > now()")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** Consecutive claims of one range whose lifetimes overlap, as {@code overlappingLeases} for runs. */
    private static List<String> overlappingClaims(TeamWorkers team) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = team.store(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT run_id, segment, epoch, claimed_at, ended_at, expired_at, end_reason FROM segment_claims "
                        + "ORDER BY run_id, segment, epoch")) {
            String range = null;
            long epoch = 0;
            Timestamp ended = null;
            Timestamp expired = null;
            String reason = null;
            while (rs.next()) {
                String r = rs.getString(1) + "/" + rs.getInt(2);
                long e = rs.getLong(3);
                Timestamp claimed = rs.getTimestamp(4);
                if (r.equals(range)) {
                    if (ended == null || claimed.before(ended)) {
                        out.add(r + ": epoch " + e + " claimed at " + claimed + " while epoch " + epoch
                                + " had not ended (" + ended + ")");
                    }
                    if ("TAKEN_OVER".equals(reason) && (expired == null || claimed.before(expired))) {
                        out.add(r + ": epoch " + e + " took over at " + claimed + " before epoch " + epoch
                                + " expired at " + expired);
                    }
                }
                range = r;
                epoch = e;
                ended = rs.getTimestamp(5);
                expired = rs.getTimestamp(6);
                reason = rs.getString(7);
            }
        }
        return out;
    }

    /**
     * The most claims on ranges of the run live at one moment: each from its claim until it ended, or
     * for a claim taken over, until it expired (what the cap counts).
     */
    private static int mostLiveAtOnce(TeamWorkers team, String runId) throws Exception {
        TreeMap<Instant, Integer> deltas = new TreeMap<>();
        try (Connection c = team.store(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT claimed_at, ended_at, expired_at, end_reason FROM segment_claims WHERE run_id = '" + runId
                        + "'")) {
            while (rs.next()) {
                Instant from = rs.getTimestamp(1).toInstant();
                Timestamp end = "TAKEN_OVER".equals(rs.getString(4)) ? rs.getTimestamp(3) : rs.getTimestamp(2);
                assertThat(end).as("a claim on a range of the completed run still open").isNotNull();
                deltas.merge(from, 1, Integer::sum);
                deltas.merge(end.toInstant(), -1, Integer::sum);
            }
        }
        int live = 0;
        int most = 0;
        for (int d : deltas.values()) {
            live += d;
            most = Math.max(most, live);
        }
        return most;
    }
}
