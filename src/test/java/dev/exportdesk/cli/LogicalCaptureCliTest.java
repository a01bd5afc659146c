package dev.exportdesk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.testing.CliRun;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.Replay;
import dev.exportdesk.testing.SourceDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A logical contract through the CLI against a wal_level=logical PostgreSQL: the first run copies
 * the table and creates the slot, the next streams inserts, updates, a key change and hard deletes
 * (which a cursor never sees) as chunks, and a run with nothing new ships nothing but lets the slot
 * move up to the last checkpoint — never past it.
 */
class LogicalCaptureCliTest {
    @TempDir
    Path dir;

    @Test
    void copyThenStreamShipsHardDeletesAndTheSlotFollowsTheCheckpoint() throws Exception {
        SourceDb db = SourceDb.logical();
        String slot = "cli_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        db.exec("CREATE TABLE items (id BIGINT PRIMARY KEY, version INT NOT NULL, payload TEXT NOT NULL)",
                "ALTER TABLE items REPLICA IDENTITY FULL",
                "CREATE PUBLICATION items_pub FOR TABLE items",
                "INSERT INTO items SELECT g, 1, 'row ' || g FROM generate_series(1, 300) g");
        Path drop = dir.resolve("drop");
        ObjectNode contract = Contracts.base("items", db, "items", drop);
        contract.remove("cursor_columns");
        contract.remove("late_data");
        ((ObjectNode) contract.get("chunk")).put("max_rows", 40);
        contract.putObject("capture").put("mode", "logical").put("publication", "items_pub").put("slot", slot);
        Path file = dir.resolve("items.json");
        Files.writeString(file, contract.toString());
        CliRun cli = new CliRun(dir.resolve("ws"), Map.of("USER", "paula"));
        assertThat(cli.run("contract", "import", file.toString()).code()).isZero();

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
        Map<String, Integer> partner = new HashMap<>();
        replay.table.forEach((k, v) -> partner.put(k, v.get("version").asInt()));
        Map<String, Integer> source = source(db);
        assertThat(difference(source, partner)).as("lost or at another version; %s", logs(dir.resolve("ws"))).isEmpty();
        assertThat(difference(partner, source)).as("unexpected or at another version").isEmpty();
        List<JsonNode> deletes = replay.delivered.stream().filter(r -> r.get("_op").asText().equals("delete")).toList();
        assertThat(deletes).extracting(r -> r.get("id").asLong()).as("hard deletes, and the key the update left")
                .containsExactlyInAnyOrderElementsOf(java.util.stream.LongStream.concat(
                        java.util.stream.LongStream.rangeClosed(100, 119), java.util.stream.LongStream.of(200))
                        .boxed().toList());
        assertThat(replay.manifests.get(1).rows()).as("50 updates, 20 deletes, 30 inserts, a move (delete + upsert)")
                .isEqualTo(102);

        String checkpoint = replay.manifests.get(1).upperBound().asText();
        CliRun.Result idle = cli.run("run", "items");
        assertThat(idle.code()).as(idle.all()).isZero();
        assertThat(Replay.of(drop.resolve("items"), "id").manifests.get(2).rows()).isZero();
        String confirmed = slotPosition(db, slot, "confirmed_flush_lsn");
        assertThat(lsn(confirmed)).as("the slot moved up to the checkpoint of the last completed run")
                .isEqualTo(lsn(checkpoint));
    }

    private static Map<String, Integer> source(SourceDb db) throws Exception {
        Map<String, Integer> rows = new HashMap<>();
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, version FROM items")) {
            while (rs.next()) {
                rows.put(Long.toString(rs.getLong(1)), rs.getInt(2));
            }
        }
        return rows;
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

    private static Map<String, Integer> difference(Map<String, Integer> a, Map<String, Integer> b) {
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
}
