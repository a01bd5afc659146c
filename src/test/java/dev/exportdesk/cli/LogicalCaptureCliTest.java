package dev.exportdesk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.exportdesk.store.AuditEntry;
import dev.exportdesk.store.Workspace;
import dev.exportdesk.testing.CliRun;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.Replay;
import dev.exportdesk.testing.SourceDb;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A logical contract through the CLI against a wal_level=logical PostgreSQL: the first run copies
 * the table and creates the slot, the next streams inserts, updates, a key change and hard deletes
 * (which a cursor never sees) as chunks, and a run with nothing new ships nothing but lets the slot
 * move up to the last checkpoint — never past it. DDL found in the log stops the run in schema drift.
 */
class LogicalCaptureCliTest {
    @TempDir
    Path dir;

    @Test
    void copyThenStreamShipsHardDeletesAndTheSlotFollowsTheCheckpoint() throws Exception {
        SourceDb db = SourceDb.logical();
        String slot = "cli_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Path drop = dir.resolve("drop");
        CliRun cli = itemsContract(dir, db, slot, 300, drop);

        CliRun.Result copy = cli.run("run", "items");
        assertThat(copy.code()).as(copy.all()).isZero();
        assertThat(slotPosition(db, slot, "restart_lsn")).as("the copy created the slot").isNotNull();

        db.exec("UPDATE items SET version = version + 1, payload = 'changed' WHERE id <= 50",
                "DELETE FROM items WHERE id BETWEEN 100 AND 119",
                "INSERT INTO items SELECT g, 1, 'new ' || g FROM generate_series(301, 330) g",
                "UPDATE items SET id = 1000, version = version + 1 WHERE id = 200");
        CliRun.Result stream = cli.run("run", "items");
        assertThat(stream.code()).as(stream.all()).isZero();

        Replay replay = Replay.of(drop.resolve("items"), "id");
        assertThat(replay.manifests).extracting(m -> m.mode()).containsExactly("full", "incremental");
        assertThat(replay.manifests.get(0).rows()).isEqualTo(300);
        Map<String, Integer> partner = replay.versions();
        Map<String, Integer> source = db.versions("items");
        assertThat(difference(source, partner)).as("lost or at another version; %s", logs(dir.resolve("ws"))).isEmpty();
        assertThat(difference(partner, source)).as("unexpected or at another version").isEmpty();
        List<JsonNode> deletes = replay.delivered.stream().filter(r -> r.get("_op").asText().equals("delete")).toList();
        assertThat(deletes).extracting(r -> r.get("id").asLong()).as("hard deletes, and the key the update left")
                .containsExactlyInAnyOrderElementsOf(java.util.stream.LongStream.concat(
                        java.util.stream.LongStream.rangeClosed(100, 119), java.util.stream.LongStream.of(200))
                        .boxed().toList());
        assertThat(replay.manifests.get(1).rows()).as("50 updates, 20 deletes, 30 inserts, a move (delete + upsert)")
                .isEqualTo(102);

        CliRun.Result deep = cli.run("verify", "items", "--deep");
        assertThat(deep.code()).as("deep verification of the copy (by key range) and the stream (by key): %s",
                deep.all()).isZero();
        db.exec("UPDATE items SET version = version + 1 WHERE id = 60", "DELETE FROM items WHERE id = 61");
        String before = slotPosition(db, slot, "confirmed_flush_lsn");
        CliRun.Result waiting = cli.run("verify", "items", "--deep");
        assertThat(waiting.code()).as("changes waiting in the slot are on their way, not lost: %s", waiting.all())
                .isZero();
        assertThat(slotPosition(db, slot, "confirmed_flush_lsn")).as("reading the slot consumed nothing")
                .isEqualTo(before);
        // a change the log does not carry to this contract (made while the table was out of the publication) is lost
        db.exec("ALTER PUBLICATION items_pub DROP TABLE items", "UPDATE items SET version = version + 1 WHERE id = 62",
                "ALTER PUBLICATION items_pub ADD TABLE items");
        CliRun.Result drifted = cli.run("verify", "items", "--deep");
        assertThat(drifted.code()).as("a change the slot will not bring is a finding: %s", drifted.all())
                .isEqualTo(ExitCodes.VERIFY_FAILED);
        assertThat(drifted.all()).containsPattern("changed +key \\[62\\]\\R")
                .contains("key [60] (carried by the next stream run (its change is waiting in the slot))",
                        "missing  key [61] (carried by the next stream run");
        CliRun.Result corrected = cli.run("correct", "items");
        assertThat(corrected.code()).as(corrected.all()).isZero();
        CliRun.Result fixed = cli.run("verify", "items", "--deep");
        assertThat(fixed.code()).as("the lost change shipped by a correction run: %s", fixed.all()).isZero();
        assertThat(Replay.of(drop.resolve("items"), "id").versions()).as("the partner has the lost change")
                .containsEntry("62", db.versions("items").get("62"));

        String checkpoint = replay.manifests.get(1).upperBound().asText();
        CliRun.Result idle = cli.run("run", "items");
        assertThat(idle.code()).as(idle.all()).isZero();
        Replay later = Replay.of(drop.resolve("items"), "id");
        assertThat(later.manifests).extracting(m -> m.mode()).containsExactly("full", "incremental", "correction",
                "incremental");
        assertThat(later.manifests.get(3).rows()).as("the update and the delete that waited in the slot").isEqualTo(2);
        assertThat(difference(db.versions("items"), later.versions())).isEmpty();
        assertThat(difference(later.versions(), db.versions("items"))).isEmpty();
        CliRun.Result carried = cli.run("verify", "items", "--deep");
        assertThat(carried.code()).as("shipped by the later run, the difference is carried: %s", carried.all())
                .isZero();
        String confirmed = slotPosition(db, slot, "confirmed_flush_lsn");
        assertThat(lsn(confirmed)).as("the slot moved up to the checkpoint of the last completed run")
                .isEqualTo(lsn(checkpoint));

        // a type changed and changed back: the table looks as before, the log in between does not
        db.exec("ALTER TABLE items ALTER COLUMN version TYPE BIGINT",
                "UPDATE items SET version = version + 1 WHERE id = 1",
                "ALTER TABLE items ALTER COLUMN version TYPE INT");
        CliRun.Result drift = cli.run("run", "items");
        assertThat(drift.code()).as(drift.all()).isEqualTo(ExitCodes.SCHEMA_DRIFT);
        assertThat(drift.all()).contains("schema drift in the log").doesNotContain("\tat ");
        assertThat(Replay.of(drop.resolve("items"), "id").manifests).as("nothing more delivered").hasSize(4);
    }


    /**
     * Table {@code items} with {@code rows} rows in a publication, and a logical contract for it
     * (chunks of 40 rows) imported through the CLI, which is returned.
     */
    /** Table {@code items} with {@code rows} rows, published, and a logical contract on it imported into {@code dir/ws}. */
    static CliRun itemsContract(Path dir, SourceDb db, String slot, int rows, Path drop) throws Exception {
        db.exec("CREATE TABLE items (id BIGINT PRIMARY KEY, version INT NOT NULL, payload TEXT NOT NULL)",
                "ALTER TABLE items REPLICA IDENTITY FULL",
                "CREATE PUBLICATION items_pub FOR TABLE items",
                "INSERT INTO items SELECT g, 1, 'row ' || g FROM generate_series(1, " + rows + ") g");
        ObjectNode contract = Contracts.base("items", db, "items", drop);
        ((ObjectNode) contract.get("chunk")).put("max_rows", 40);
        Contracts.logical(contract, "items_pub", slot);
        Path file = dir.resolve("items.json");
        Files.writeString(file, contract.toString());
        CliRun cli = new CliRun(dir.resolve("ws"), Map.of("USER", "paula"));
        assertThat(cli.run("contract", "import", file.toString()).code()).isZero();
        return cli;
    }

    private static String logs(Path workspace) throws Exception {
        StringBuilder sb = new StringBuilder();
        try (var files = Files.walk(workspace)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
                sb.append("\n--- ").append(f).append('\n').append(Files.readString(f));
            }
        }
        return sb.toString();
    }

    static Map<String, Integer> difference(Map<String, Integer> a, Map<String, Integer> b) {
        Map<String, Integer> out = new java.util.TreeMap<>();
        a.forEach((k, v) -> {
            if (!v.equals(b.get(k))) {
                out.put(k, v);
            }
        });
        return out;
    }

    private static String slotPosition(SourceDb db, String slot, String column) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT " + column + "::text FROM pg_replication_slots WHERE slot_name = '"
                     + slot + "'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static long lsn(String text) {
        return org.postgresql.replication.LogSequenceNumber.valueOf(text).asLong();
    }

    /**
     * Bad setups stop the first run with what to change at the source, before anything is read or
     * delivered and before a slot exists; a slot dropped behind our back says re-sync is required.
     * An idle table in a busy database still lets its slot advance with every run.
     */
    @Test
    void badSetupsAreNamedAndAnIdleTablesSlotStillAdvances() throws Exception {
        SourceDb db = SourceDb.logical();
        String slot = "bad_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        db.exec("CREATE TABLE quiet (id BIGINT PRIMARY KEY, version INT NOT NULL, note TEXT)",
                "CREATE TABLE busy (id BIGSERIAL PRIMARY KEY, filler TEXT)",
                "INSERT INTO quiet SELECT g, 1, 'n' || g FROM generate_series(1, 20) g");
        List<String> hooks = new java.util.concurrent.CopyOnWriteArrayList<>();
        HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
        hook.createContext("/", e -> {
            hooks.add(new String(e.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            e.sendResponseHeaders(204, -1);
            e.close();
        });
        hook.start();
        String url = "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook";
        Path drop = dir.resolve("drop");
        ObjectNode contract = Contracts.base("quiet", db, "quiet", drop);
        Contracts.logical(contract, "quiet_pub", slot);
        ObjectNode alerts = contract.putObject("alerts");
        alerts.putObject("webhook").put("url", url).put("secret", "hook");
        alerts.putArray("on").add("slot_at_risk");
        Path file = dir.resolve("quiet.json");
        Files.writeString(file, contract.toString());
        Files.writeString(dir.resolve("key"), "k3y-for-the-hook");
        CliRun cli = new CliRun(dir.resolve("ws"), Map.of("USER", "paula"));
        assertThat(cli.run("alerts", "allow", url).code()).isZero();
        assertThat(cli.run("secret", "set", "hook", "--scope", "webhook:" + url.replace("/hook", ""), "--from-file",
                dir.resolve("key").toString()).code()).isZero();
        assertThat(cli.run("contract", "import", file.toString()).code()).isZero();
        assertThat(cli.run("status").out()).as("before the first run").contains(slot, "not created yet");

        CliRun.Result noPublication = cli.run("run", "quiet");
        assertThat(noPublication.code()).isEqualTo(ExitCodes.RUN_FAILED);
        assertThat(noPublication.all()).contains("publication quiet_pub does not exist",
                "CREATE PUBLICATION quiet_pub FOR TABLE", "REPLICA IDENTITY FULL").doesNotContain("\tat ");
        assertThat(slotPosition(db, slot, "restart_lsn")).as("no slot before the setup is right").isNull();
        assertThat(drop).doesNotExist();

        db.exec("CREATE PUBLICATION quiet_pub FOR TABLE quiet", "ALTER TABLE quiet REPLICA IDENTITY FULL");
        CliRun.Result copy = cli.run("run", "quiet");
        assertThat(copy.code()).as(copy.all()).isZero();
        for (int round = 0; round < 3; round++) {
            db.exec("INSERT INTO busy (filler) SELECT repeat('x', 500) FROM generate_series(1, 4000)");
            CliRun.Result idle = cli.run("run", "quiet");
            assertThat(idle.code()).as(idle.all()).isZero();
        }
        long current;
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT pg_current_wal_flush_lsn()::text")) {
            rs.next();
            current = lsn(rs.getString(1));
        }
        long before = lsn(slotPosition(db, slot, "confirmed_flush_lsn"));
        CliRun.Result last = cli.run("run", "quiet");
        assertThat(last.code()).as(last.all()).isZero();
        long confirmed = lsn(slotPosition(db, slot, "confirmed_flush_lsn"));
        assertThat(confirmed).as("the idle table's slot moved past the busy table's writes").isGreaterThan(before)
                .isLessThanOrEqualTo(current);
        assertThat(Replay.of(drop.resolve("quiet"), "id").manifests.stream().skip(1).mapToLong(m -> m.rows()).sum())
                .as("the busy table is not the contract's").isZero();

        CliRun.Result status = cli.run("status");
        assertThat(status.out()).containsPattern(slot + " +quiet +reserved +[0-9.]+ [KMG]?i?B +[0-9.]+ [KMG]?i?B");
        assertThat(cli.run("status", "--json").out()).contains("\"wal_status\" : \"reserved\"",
                "\"resync_required\" : false");
        assertThat(hooks).as("no alert while the slot is healthy").isEmpty();

        db.exec("SELECT pg_drop_replication_slot('" + slot + "')");
        CliRun.Result lost = cli.run("run", "quiet");
        assertThat(lost.code()).isEqualTo(ExitCodes.RESYNC_REQUIRED);
        assertThat(lost.all()).contains("re-sync required").doesNotContain("\tat ");
        assertThat(cli.run("status").out()).contains("RE-SYNC REQUIRED");
        cli.run("alerts", "check");
        hook.stop(0);
        assertThat(hooks).as("one alert, once").hasSize(1);
        assertThat(hooks.get(0)).contains("slot_at_risk", "re-sync required");
    }

    /**
     * The way on when the log cannot give the changes since the last delivery: a slot dropped behind
     * the engine's back. {@code resync --dry-run} says what would happen and changes
     * nothing; {@code resync} turns the stopped run (which sealed nothing) into a full export in the
     * same sequence, with a new slot; the partner's copy, replaced by it and streamed on, is the
     * source — the rows deleted while no slot existed too. The stopped run waits in RESYNC_REQUIRED
     * without a second attempt. A TRUNCATE after a chunk was sealed in a stream run (before, it stopped
     * the run for a re-sync) now ships with that run.
     */
    @Test
    void aLostSlotIsResyncedByAFullExportInTheSameSequence() throws Exception {
        SourceDb db = SourceDb.logical();
        String slot = "resync_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Path drop = dir.resolve("drop");
        CliRun cli = itemsContract(dir, db, slot, 200, drop);
        assertThat(cli.run("run", "items").code()).isZero();
        db.exec("UPDATE items SET version = 2 WHERE id <= 10");
        assertThat(cli.run("run", "items").code()).isZero();

        db.exec("SELECT pg_drop_replication_slot('" + slot + "')");
        db.exec("DELETE FROM items WHERE id BETWEEN 50 AND 59", "UPDATE items SET version = 3 WHERE id = 1");
        CliRun.Result lost = cli.run("run", "items");
        assertThat(lost.code()).as(lost.all()).isEqualTo(ExitCodes.RESYNC_REQUIRED);
        assertThat(lost.all()).contains("re-sync required", "exportdesk resync items").doesNotContain("resume with");
        CliRun.Result again = cli.run("run", "items");
        assertThat(again.code()).as("not tried again: " + again.all()).isEqualTo(ExitCodes.RESYNC_REQUIRED);
        assertThat(cli.run("logs", "items").out()).as("one attempt only").contains("attempt 1 ended")
                .doesNotContain("attempt 2");
        assertThat(cli.run("status").out()).contains("RESYNC_REQUIRED");

        CliRun.Result preview = cli.run("resync", "items", "--dry-run");
        assertThat(preview.code()).as(preview.all()).isZero();
        assertThat(preview.out()).contains("items run #3", "becomes a full export", "(missing)", "nothing changed");
        assertThat(cli.run("run", "items").all()).as("the dry run changed nothing").contains("re-sync required");

        CliRun.Result resync = cli.run("resync", "items");
        assertThat(resync.code()).as(resync.all()).isZero();
        assertThat(cli.run("resync", "items", "--dry-run").out()).as("planned once: the next is that run again")
                .contains("items run #3 (run ");
        CliRun.Result copy = cli.run("run", "items");
        assertThat(copy.code()).as(copy.all()).isZero();
        assertThat(slotPosition(db, slot, "restart_lsn")).as("the copy created the slot anew").isNotNull();
        db.exec("INSERT INTO items VALUES (500, 1, 'after the re-sync')", "DELETE FROM items WHERE id = 2");
        assertThat(cli.run("run", "items").code()).isZero();

        Replay replay = Replay.of(drop.resolve("items"), "id");
        assertThat(replay.manifests).extracting(m -> m.mode())
                .containsExactly("full", "incremental", "full", "incremental");
        assertThat(replay.manifests).extracting(m -> m.sequence()).containsExactly(1L, 2L, 3L, 4L);
        assertThat(difference(db.versions("items"), replay.versions())).as("lost or at another version").isEmpty();
        assertThat(difference(replay.versions(), db.versions("items"))).as("unexpected: the rows deleted while no "
                + "slot existed are gone from the replaced copy").isEmpty();
        assertThat(cli.run("verify", "items", "--deep").code()).isZero();

        // a TRUNCATE after a chunk was sealed in the same run ships: the chunk, then an empty truncate-first one
        db.exec("INSERT INTO items SELECT g, 1, 'burst ' || g FROM generate_series(1000, 1059) g", "TRUNCATE items");
        CliRun.Result truncated = cli.run("run", "items");
        assertThat(truncated.code()).as(truncated.all()).isZero();
        db.exec("INSERT INTO items VALUES (2000, 1, 'after the truncate')");
        assertThat(cli.run("run", "items").code()).isZero();

        Replay after = Replay.of(drop.resolve("items"), "id");
        assertThat(after.manifests).extracting(m -> m.mode()).containsExactly("full", "incremental", "full",
                "incremental", "incremental", "incremental");
        assertThat(after.manifests.get(4).chunks()).extracting(c -> c.rows(), c -> c.truncateFirst())
                .as("the burst's chunk, then the TRUNCATE as the last change: an empty chunk that empties the copy")
                .containsExactly(org.assertj.core.groups.Tuple.tuple(60L, false),
                        org.assertj.core.groups.Tuple.tuple(0L, true));
        assertThat(after.truncates).isEqualTo(1);
        assertThat(after.versions()).as("the truncated rows are gone; only the row after it")
                .isEqualTo(db.versions("items")).containsOnlyKeys("2000");
        CliRun.Result deep = cli.run("verify", "items", "--deep");
        assertThat(deep.code()).as("rows delivered before the TRUNCATE are replaced by it, not missing: %s",
                deep.all()).isZero();
        CliRun.Result partner = cli.run("verify-delivery", drop.resolve("items").toString(), "--no-ack", "--state",
                dir.resolve("partner-state").toString());
        assertThat(partner.code()).as(partner.all()).isZero();
    }

    /**
     * A cursor contract moved to logical capture (a new version) starts again with a copy of the
     * table — its cursor checkpoint is no log position — and streams from there; moved back, its log
     * position is no cursor, so the cursor contract starts with a full export too. No gap either way.
     */
    @Test
    void switchingBetweenCursorAndLogicalCaptureStartsWithACopy() throws Exception {
        SourceDb db = SourceDb.logical();
        String slot = "sw_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        db.exec("CREATE TABLE items (id BIGINT PRIMARY KEY, version INT NOT NULL, "
                        + "updated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now())",
                "CREATE PUBLICATION sw_pub FOR TABLE items",
                "INSERT INTO items (id, version, updated_at) SELECT g, 1, now() - interval '1 hour' "
                        + "FROM generate_series(1, 50) g");
        Path drop = dir.resolve("drop");
        ObjectNode cursor = Contracts.base("items", db, "items", drop);
        Path file = dir.resolve("items.json");
        Files.writeString(file, cursor.toString());
        CliRun cli = new CliRun(dir.resolve("ws"), Map.of("USER", "paula"));
        assertThat(cli.run("contract", "import", file.toString()).code()).isZero();
        assertThat(cli.run("run", "items").code()).isZero();

        ObjectNode logical = cursor.deepCopy();
        Contracts.logical(logical, "sw_pub", slot);
        Files.writeString(file, logical.toString());
        assertThat(cli.run("contract", "import", file.toString()).code()).isZero();
        CliRun.Result copy = cli.run("run", "items");
        assertThat(copy.code()).as(copy.all()).isZero();
        db.exec("UPDATE items SET version = 2, updated_at = now() WHERE id = 7", "DELETE FROM items WHERE id = 8");
        CliRun.Result stream = cli.run("run", "items");
        assertThat(stream.code()).as(stream.all()).isZero();

        Files.writeString(file, cursor.toString());
        assertThat(cli.run("contract", "import", file.toString()).code()).isZero();
        CliRun.Result back = cli.run("run", "items");
        assertThat(back.code()).as(back.all()).isZero();

        Replay replay = Replay.of(drop.resolve("items"), "id");
        assertThat(replay.manifests).extracting(m -> m.mode()).containsExactly("incremental", "full", "incremental",
                "full");
        assertThat(replay.manifests.get(2).rows()).as("the update and the hard delete").isEqualTo(2);
        Map<String, Integer> partner = replay.versions();
        assertThat(partner).isEqualTo(db.versions("items"));

        // the cursor contract no longer reads the slot, which keeps WAL at the source until dropped
        assertThat(slotPosition(db, slot, "restart_lsn")).isNotNull();
        CliRun.Result preview = cli.run("contract", "drop-slot", "items", "--dry-run");
        assertThat(preview.code()).as(preview.all()).isZero();
        assertThat(preview.out()).contains("replication slot " + slot + " of items (version 2", "nothing changed");
        assertThat(slotPosition(db, slot, "restart_lsn")).as("a dry run drops nothing").isNotNull();
        CliRun.Result dropped = cli.run("contract", "drop-slot", "items");
        assertThat(dropped.code()).as(dropped.all()).isZero();
        assertThat(slotPosition(db, slot, "restart_lsn")).isNull();
        try (Workspace ws = Workspace.open(dir.resolve("ws"))) {
            List<AuditEntry> audit = ws.store().inTransaction(c -> ws.store().audit().recent(c, 1000));
            assertThat(audit).filteredOn(e -> e.action().equals("contract.drop-slot")).hasSize(1)
                    .allSatisfy(e -> assertThat(e.toString()).contains(slot, "\"version\":2"));
        }
        assertThat(cli.run("contract", "drop-slot", "items").out()).as("said, not failed, the second time")
                .contains("does not exist at the source: nothing to drop");
        assertThat(cli.run("run", "items").code()).as("the cursor contract goes on").isZero();
    }

    /** A slot a contract still streams from is only dropped once the contract is paused; then it needs a re-sync. */
    @Test
    void aStreamingContractsSlotIsDroppedOnlyWhenPaused() throws Exception {
        SourceDb db = SourceDb.logical();
        String slot = "drop_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        CliRun cli = itemsContract(dir, db, slot, 20, dir.resolve("drop"));
        assertThat(cli.run("run", "items").code()).isZero();

        CliRun.Result refused = cli.run("contract", "drop-slot", "items");
        assertThat(refused.code()).as(refused.all()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(refused.all()).contains("still streams from replication slot " + slot, "contract pause items")
                .doesNotContain("\tat ");
        assertThat(slotPosition(db, slot, "restart_lsn")).as("refused: nothing dropped").isNotNull();

        assertThat(cli.run("contract", "pause", "items", "--reason", "partner left").code()).isZero();
        CliRun.Result dropped = cli.run("contract", "drop-slot", "items");
        assertThat(dropped.code()).as(dropped.all()).isZero();
        assertThat(dropped.out()).contains("next run stops with \"re-sync required\"");
        assertThat(slotPosition(db, slot, "restart_lsn")).isNull();
        assertThat(cli.run("run", "items").code()).isEqualTo(ExitCodes.RESYNC_REQUIRED);
    }
}
