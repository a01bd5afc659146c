package dev.exportdesk.team;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.source.CursorCodec;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.Replay;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.TeamWorkers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workers on two machines: each has a workspace folder of its own, so its own staging. Worker A
 * runs a parallel backfill (three key ranges, two of them captured at once by its two slots, so
 * their chunks interleave) whose delivery is slow (a bandwidth cap, two transfers), and is
 * SIGKILLed while sealed chunks wait for delivery; rows of those chunks, of a delivered chunk and
 * of the run's tail change before worker B, on the other folder, takes the run and its ranges over. Injected: the staged
 * copies B cannot see, and the source changes. Must hold: the run completes, the lost chunks
 * captured again (audited {@code chunk.recaptured}, those whose rows changed with a new hash);
 * after the next run the partner's replay equals the source with no (key, version) delivered
 * twice — rows lost, duplicated and unexpected are all zero — and {@code verify --deep} passes.
 */
class WorkerOtherHostTakeoverTest {
    private static final int ROWS = 3000;
    private static final int CHUNK_ROWS = 100;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aRunTakenOverOnAnotherMachineRecapturesTheChunksItCannotSee() throws Exception {
        SourceDb db = SourceDb.postgres();
        TeamWorkers.seedItems(db, ROWS);
        Path drop = dir.resolve("drop");
        ObjectNode contract = Contracts.base("items", db, "items", drop);
        contract.put("compression", "none");
        ((ObjectNode) contract.get("chunk")).put("max_rows", CHUNK_ROWS);
        // about 9 KB a chunk at 32 KB/s: sealed chunks wait for delivery
        ((ObjectNode) contract.get("destination")).put("parallel_transfers", 2).put("max_bytes_per_second", 32 * 1024);
        contract.putObject("backfill").put("max_workers", 2).put("segment_rows", ROWS / 3);
        Files.writeString(dir.resolve("items.json"), contract.toString());

        try (TeamWorkers team = new TeamWorkers(dir)) {
            assertThat(team.cli("import.log", 120, "contract", "import", dir.resolve("items.json").toString()))
                    .as(team.log("import.log")).isZero();
            assertThat(team.cli("request.log", 120, "request", "run", "items")).as(team.log("request.log")).isZero();

            TeamWorkers.Worker a = team.start("a", "3s", "--slots", "2");
            awaitDeliveredAndWaiting(team);
            a.signal("KILL");
            assertThat(a.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            List<Integer> waiting = undelivered(team);
            assertThat(waiting).isNotEmpty();

            // concurrent writes between the kill and the takeover: each must reach the partner once
            List<String> changes = new ArrayList<>();
            for (int seq : waiting) {
                changes.add("UPDATE items SET version = 2, payload = 'moved-" + seq + "', updated_at = now() WHERE id = "
                        + lastKey(team, seq));
            }
            changes.add("UPDATE items SET version = 2, payload = 'after-delivery', updated_at = now() WHERE id = 50");
            changes.add("UPDATE items SET version = 2, payload = 'tail', updated_at = now() WHERE id = " + ROWS);
            // a hard delete reaches the partner only in a chunk captured after it, so its row is taken from a
            // waiting chunk the destination does not hold: A may have published a chunk's file and died before
            // recording it, and B then rightly keeps that file (cursor capture cannot see hard deletes)
            Integer unpublished = null;
            for (int seq : waiting) {
                if (unpublished == null && !published(drop, fileName(team, seq))) {
                    unpublished = seq;
                }
            }
            if (unpublished != null) {
                changes.add("DELETE FROM items WHERE id = " + (lastKey(team, unpublished) - 1));
            }
            changes.add("INSERT INTO items VALUES (" + (ROWS + 1) + ", 1, 'new', now())");
            db.exec(changes.toArray(String[]::new));

            TeamWorkers.Worker b = team.startOnOwnHost("b", "3s", "--slots", "2");
            assertThat(TeamWorkers.await(b, "by takeover", 60)).as(b.output()).isTrue();
            awaitCompletedRuns(team, 1, b);
            assertThat(Files.exists(team.hostFolder("b").resolve("staging"))).isTrue();
            assertThat(team.workspace().resolve("staging")).as("worker a's staging, which b never sees").exists();

            List<String[]> recaptured = audit(team, "chunk.recaptured");
            assertThat(recaptured).as(b.output()).isNotEmpty()
                    .anySatisfy(e -> assertThat(e[1]).isNotEqualTo(e[2]));
            assertThat(recaptured).extracting(e -> e[0]).allSatisfy(subject -> assertThat(waiting.stream()
                    .map(seq -> "#" + seq).anyMatch(subject::endsWith)).as(subject).isTrue());

            assertThat(team.cli("request2.log", 120, "request", "run", "items")).as(team.log("request2.log")).isZero();
            awaitCompletedRuns(team, 2, b);

            Replay replay = Replay.of(drop.resolve("items"), "id");
            assertThat(replay.manifests).hasSize(2);
            Set<String> keyVersions = new HashSet<>();
            List<String> twice = new ArrayList<>();
            for (JsonNode r : replay.delivered) {
                String kv = r.get("id").asText() + "@" + r.get("version").asText();
                if (!keyVersions.add(kv)) {
                    twice.add(kv);
                }
            }
            assertThat(twice).as("(key, version) delivered twice").isEmpty();
            Map<String, String> source = db.versionPayloads("items");
            Map<String, String> partner = new HashMap<>();
            replay.table.forEach((k, r) -> partner.put(k, r.get("version").asText() + ":" + r.get("payload").asText()));
            // as set differences, so that a failure names the rows (a whole-map message is cut at 1,000 entries)
            assertThat(difference(source.keySet(), partner.keySet())).as("rows lost").isEmpty();
            assertThat(difference(partner.keySet(), source.keySet())).as("rows unexpected").isEmpty();
            assertThat(source.keySet().stream().filter(k -> !source.get(k).equals(partner.get(k))).toList())
                    .as("rows whose delivered version differs from the source's").isEmpty();
            assertThat(partner).as("partner's replay against the source").isEqualTo(source);

            assertThat(count(team, "SELECT count(*) FROM run_segments")).as("key ranges").isEqualTo(3);
            assertThat(team.cli("verify.log", 180, "verify", "items", "--deep")).as(team.log("verify.log")).isZero();
            b.signal("TERM");
            assertThat(b.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> d = new java.util.TreeSet<>(a);
        d.removeAll(b);
        return d;
    }

    /** Waits until the run has delivered a chunk and has at least two sealed ones waiting; returns those. */
    private static List<Integer> awaitDeliveredAndWaiting(TeamWorkers team) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            try (Connection c = team.store(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT count(*) FILTER (WHERE state IN ('DELIVERED', 'VERIFIED')), "
                            + "count(*) FILTER (WHERE sha256 IS NOT NULL AND state NOT IN ('DELIVERED', 'VERIFIED')) "
                            + "FROM chunks")) {
                rs.next();
                if (rs.getLong(1) >= 1 && rs.getLong(2) >= 2) {
                    return undelivered(team);
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no run had delivered and waiting chunks in time");
    }

    private static List<Integer> undelivered(TeamWorkers team) throws Exception {
        List<Integer> out = new ArrayList<>();
        try (Connection c = team.store(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT seq FROM chunks WHERE sha256 IS NOT NULL AND state NOT IN ('DELIVERED', 'VERIFIED') ORDER BY seq")) {
            while (rs.next()) {
                out.add(rs.getInt(1));
            }
        }
        return out;
    }

    private static void awaitCompletedRuns(TeamWorkers team, int n, TeamWorkers.Worker b) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            try (Connection c = team.store(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT count(*) FILTER (WHERE state = 'COMPLETED'), count(*) FILTER (WHERE state = 'FAILED') "
                            + "FROM runs")) {
                rs.next();
                if (rs.getLong(2) > 0) {
                    throw new AssertionError("a run failed: " + b.output());
                }
                if (rs.getLong(1) >= n) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError(n + " run(s) did not complete in time: " + b.output());
    }

    private static String fileName(TeamWorkers team, int seq) throws Exception {
        try (Connection c = team.store(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT file_name FROM chunks WHERE seq = " + seq)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    /** Whether a file named {@code name} is in the drop folder (below its run folders). */
    private static boolean published(Path drop, String name) throws Exception {
        if (!Files.isDirectory(drop)) {
            return false;
        }
        try (var files = Files.walk(drop)) {
            return files.anyMatch(p -> p.getFileName().toString().equals(name));
        }
    }

    /** The key of chunk {@code seq}'s last row (its ranges interleave, so the key cannot be computed). */
    private static long lastKey(TeamWorkers team, int seq) throws Exception {
        try (Connection c = team.store(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT cursor_to FROM chunks WHERE seq = " + seq)) {
            assertThat(rs.next()).isTrue();
            Object[] tuple = CursorCodec.decode(rs.getString(1));
            return ((Number) tuple[tuple.length - 1]).longValue();
        }
    }

    private static long count(TeamWorkers team, String sql) throws Exception {
        try (Connection c = team.store(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Subject, before and after of each audit entry of {@code action}. */
    private static List<String[]> audit(TeamWorkers team, String action) throws Exception {
        List<String[]> out = new ArrayList<>();
        try (Connection c = team.store(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT subject, before_json, after_json FROM audit_log WHERE action = '" + action + "'")) {
            while (rs.next()) {
                out.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
            }
        }
        return out;
    }
}
