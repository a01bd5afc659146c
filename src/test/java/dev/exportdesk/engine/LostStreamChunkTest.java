package dev.exportdesk.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.engine.runs.RunResult;
import dev.exportdesk.store.AuditEntry;
import dev.exportdesk.store.ChunkRecord;
import dev.exportdesk.store.RunState;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.Replay;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A log-based stream run whose sealed chunks are nowhere — their staged copies were on another
 * machine and the destination holds none of them — reads their transactions again from the slot,
 * which keeps every change since the run's start until the next run confirms it. Injected: a file
 * where the run's directory belongs (the first delivery fails after chunks were sealed), the staged
 * copies deleted, and more changes before the resume. Must hold: the resume completes the run,
 * every lost chunk is captured again with its sealed bytes (audited {@code chunk.recaptured}, same
 * hash before and after), and after the next run the partner's replay equals the source with no
 * (key, version) delivered twice.
 */
@Timeout(180)
class LostStreamChunkTest {
    @TempDir
    Path dir;

    @Test
    void lostStreamChunksAreReadAgainFromTheSlotWithTheirSealedBytes() throws Exception {
        SourceDb db = SourceDb.logical();
        String slot = "lost_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        db.exec("CREATE TABLE items (id BIGINT PRIMARY KEY, version INT NOT NULL, payload TEXT NOT NULL)",
                "ALTER TABLE items REPLICA IDENTITY FULL", "CREATE PUBLICATION items_pub FOR TABLE items",
                "INSERT INTO items SELECT g, 1, 'p' || g FROM generate_series(1, 50) g");
        Path drop = dir.resolve("drop");
        ObjectNode contract = Contracts.base("items", db, "items", drop);
        ((ObjectNode) contract.get("chunk")).put("max_rows", 5);
        Contracts.logical(contract, "items_pub", slot);
        try (TestEngine t = TestEngine.open(dir.resolve("ws"))) {
            t.importContract(contract.toString());
            RunResultAssert.completed(t.run("items")); // the table copy

            List<String> changes = new ArrayList<>();
            for (int i = 1; i <= 6; i++) { // six transactions, a chunk of five rows each or more
                changes.add("BEGIN; UPDATE items SET version = version + 1, payload = 'u" + i + "' WHERE id BETWEEN "
                        + (i * 5 - 4) + " AND " + (i * 5) + "; INSERT INTO items VALUES (" + (100 + i) + ", 1, 'n"
                        + i + "'); DELETE FROM items WHERE id = " + (40 + i) + "; COMMIT");
            }
            db.exec(changes.toArray(String[]::new));
            Files.createDirectories(drop.resolve("items"));
            Files.writeString(drop.resolve("items/run-000002"), "in the way");
            RunResult failed = t.run("items");
            assertThat(failed.run().state()).isEqualTo(RunState.FAILED);
            String runId = failed.run().id();
            List<ChunkRecord> sealed = t.status.run(runId).chunks().stream().filter(c -> c.sha256() != null).toList();
            assertThat(sealed).as("chunks sealed before the delivery failed").isNotEmpty();
            Files.delete(drop.resolve("items/run-000002"));
            try (Stream<Path> staged = Files.walk(t.ctx.stagingDir())) {
                for (Path p : staged.filter(p -> p.getFileName().toString().startsWith("chunk-")).toList()) {
                    Files.delete(p); // as on a machine other than the one that sealed them
                }
            }
            db.exec("UPDATE items SET version = version + 1, payload = 'after' WHERE id = 3", // the next run's
                    "INSERT INTO items VALUES (200, 1, 'later')");

            RunResult resumed = t.run("items");
            assertThat(resumed.run().id()).isEqualTo(runId);
            RunResultAssert.completed(resumed);
            List<AuditEntry> recaptured = t.status.audit(200).stream()
                    .filter(e -> e.action().equals("chunk.recaptured")).toList();
            assertThat(recaptured).hasSize(sealed.size())
                    .allSatisfy(e -> assertThat(e.after()).as(e.subject()).isEqualTo(e.before()));
            Set<String> sealedHashes = new HashSet<>();
            sealed.forEach(c -> sealedHashes.add(c.sha256()));
            assertThat(t.status.run(runId).chunks()).filteredOn(c -> sealedHashes.contains(c.sha256()))
                    .hasSize(sealed.size());

            RunResultAssert.completed(t.run("items"));
            Replay replay = Replay.of(drop.resolve("items"), "id");
            Set<String> keyVersions = new HashSet<>();
            List<String> twice = new ArrayList<>();
            for (JsonNode r : replay.delivered) {
                if (!"delete".equals(r.path("_op").asText())
                        && !keyVersions.add(r.get("id").asText() + "@" + r.get("version").asText())) {
                    twice.add(r.get("id").asText() + "@" + r.get("version").asText());
                }
            }
            assertThat(twice).as("(key, version) delivered twice").isEmpty();
            Map<String, String> partner = new HashMap<>();
            replay.table.forEach((k, r) -> partner.put(k, r.get("version").asText() + ":" + r.get("payload").asText()));
            assertThat(partner).as("partner's replay against the source").isEqualTo(db.versionPayloads("items"));
        }
    }
}
