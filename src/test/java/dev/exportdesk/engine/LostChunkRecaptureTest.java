package dev.exportdesk.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.engine.runs.RunResult;
import dev.exportdesk.engine.verification.VerifyService;
import dev.exportdesk.store.AuditEntry;
import dev.exportdesk.store.ChunkRecord;
import dev.exportdesk.store.ChunkState;
import dev.exportdesk.store.RunState;
import dev.exportdesk.store.ScanPhase;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.Replay;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sealed chunk whose staged copy is gone (sealed on another machine) and that the destination
 * does not hold is captured again from its range. Injected: the staged copy deleted, and, for the
 * re-seal, one row of the chunk moved past the run and one deleted. Must hold: the run completes;
 * the chunk keeps its number and name with a new hash, the old hash in the audit record; the
 * partner's replay after the next run equals the source, each row once; deep verification is clean.
 */
class LostChunkRecaptureTest {
    @TempDir
    Path dir;
    private String runId;

    private TestEngine failedFirstDelivery(SourceDb db, Path drop) throws Exception {
        return failedFirstDelivery(db, drop, "jsonl", "chunk-000001.jsonl.zst");
    }

    private TestEngine failedFirstDelivery(SourceDb db, Path drop, String format, String firstChunk) throws Exception {
        db.exec("CREATE TABLE t (id BIGINT PRIMARY KEY, updated_at TIMESTAMP WITH TIME ZONE NOT NULL)",
                "INSERT INTO t SELECT X, TIMESTAMP WITH TIME ZONE '2024-01-01 00:00:00+00' FROM SYSTEM_RANGE(1, 1500)");
        ObjectNode contract = Contracts.base("t", db, "t", drop);
        contract.put("format", format);
        TestEngine t = TestEngine.open(dir.resolve("ws"));
        t.importContract(contract.toString());
        // a file where the run's directory belongs: chunk 1 is sealed, then its delivery fails
        Files.createDirectories(drop.resolve("t"));
        Files.writeString(drop.resolve("t/run-000001"), "in the way");
        RunResult failed = t.run("t");
        assertThat(failed.run().state()).isEqualTo(RunState.FAILED);
        runId = failed.run().id();
        Files.delete(drop.resolve("t/run-000001"));
        Path staged = t.ctx.stagingDir().resolve(failed.run().id()).resolve(firstChunk);
        assertThat(staged).isRegularFile();
        Files.delete(staged); // as on a machine other than the one that sealed it
        return t;
    }

    @Test
    void aLostChunkWhoseRowsChangedIsResealedAndTheOldHashAudited() throws Exception {
        SourceDb db = SourceDb.h2(dir);
        Path drop = dir.resolve("drop");
        try (TestEngine t = failedFirstDelivery(db, drop)) {
            ChunkRecord before = t.status.run(runId).chunks().get(0);
            db.exec("UPDATE t SET updated_at = CURRENT_TIMESTAMP WHERE id = 5", "DELETE FROM t WHERE id = 7");

            RunResult resumed = t.run("t");
            assertThat(resumed.run().id()).isEqualTo(runId);
            RunResultAssert.completed(resumed);
            ChunkRecord after = t.status.run(runId).chunks().get(0);
            assertThat(after.seq()).isEqualTo(1);
            assertThat(after.fileName()).isEqualTo(before.fileName());
            assertThat(after.state()).isEqualTo(ChunkState.DELIVERED);
            assertThat(after.sha256()).isNotEqualTo(before.sha256());
            assertThat(after.rowCount()).isEqualTo(before.rowCount() - 2);
            assertThat(after.cursorTo()).isEqualTo(before.cursorTo());
            List<AuditEntry> audit = t.status.audit(50);
            assertThat(audit).filteredOn(e -> e.action().equals("chunk.recaptured")).singleElement()
                    .satisfies(e -> {
                        assertThat(e.subject()).isEqualTo(runId + "#1");
                        assertThat(e.before()).isEqualTo(before.sha256());
                        assertThat(e.after()).isEqualTo(after.sha256());
                    });

            RunResultAssert.completed(t.run("t")); // ships row 5 as it is now
            Replay replay = Replay.of(drop.resolve("t"), "id");
            assertThat(replay.delivered).hasSize(1499);
            assertThat(replay.table).hasSize(1499).doesNotContainKey("7").containsKey("5");
            List<VerifyService.DeepOutcome> deep = t.verify.verify("t", true);
            assertThat(deep).isNotEmpty().allSatisfy(o -> assertThat(o.ok()).as(o.toString()).isTrue());
        }
    }

    @Test
    void aLostChunkOfUnchangedRowsIsDeliveredWithItsSealedBytes() throws Exception {
        unchangedRowsComeBackWithTheSealedBytes("jsonl", "chunk-000001.jsonl.zst");
    }

    /** A Parquet chunk is captured again as Parquet, by the same deterministic writer: the same bytes. */
    @Test
    void aLostParquetChunkOfUnchangedRowsIsDeliveredWithItsSealedBytes() throws Exception {
        unchangedRowsComeBackWithTheSealedBytes("parquet", "chunk-000001.parquet");
    }

    private void unchangedRowsComeBackWithTheSealedBytes(String format, String firstChunk) throws Exception {
        SourceDb db = SourceDb.h2(dir);
        Path drop = dir.resolve("drop");
        try (TestEngine t = failedFirstDelivery(db, drop, format, firstChunk)) {
            ChunkRecord before = t.status.run(runId).chunks().get(0);
            RunResultAssert.completed(t.run("t"));
            ChunkRecord after = t.status.run(runId).chunks().get(0);
            assertThat(after.sha256()).isEqualTo(before.sha256());
            assertThat(t.status.audit(50)).filteredOn(e -> e.action().equals("chunk.recaptured")).singleElement()
                    .satisfies(e -> assertThat(e.after()).isEqualTo(e.before()).isEqualTo(before.sha256()));
            assertThat(after.state()).isEqualTo(ChunkState.DELIVERED);
            if ("parquet".equals(format)) {
                long lines = 0;
                try (var files = Files.list(drop.resolve("t/run-000001"))) {
                    for (Path f : files.filter(f -> f.toString().endsWith(".parquet")).toList()) {
                        try (var in = dev.exportdesk.chunk.parquet.ParquetContent.jsonLines(Files.newInputStream(f),
                                Files.size(f), new dev.exportdesk.fs.Scratch(dir.resolve("scratch")))) {
                            lines += new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().count();
                        }
                    }
                }
                assertThat(lines).as("rows in the delivered Parquet files").isEqualTo(1500);
                return;
            }
            Replay replay = Replay.of(drop.resolve("t"), "id");
            assertThat(replay.delivered).hasSize(1500);
            assertThat(replay.table).hasSize(1500);
        }
    }

    /**
     * A lost chunk of the lookback re-scan: its own lines are in the shipped-line index since its
     * seal, and the re-scan must not hold them back as shipped (or the chunk would come back empty
     * and its rows be lost). Row 403 moves past the run before the resume.
     */
    @Test
    void aLostLookbackChunkDoesNotHoldBackItsOwnRows() throws Exception {
        lostChunkOfASecondRun(12, 0, 403, ScanPhase.LOOKBACK);
    }

    /**
     * The first forward chunk began in the lookback (three late rows, then two new ones): captured
     * again, it reads the rest of the lookback, then forward, as the first capture did. Row 402 moves.
     */
    @Test
    void aLostChunkThatBeganInTheLookbackIsReadFromBothScans() throws Exception {
        lostChunkOfASecondRun(3, 4, 402, ScanPhase.FORWARD);
    }

    /**
     * Run 1 ships rows 1..400; run 2 finds {@code late} late rows (401…) in its lookback and
     * {@code fresh} new ones (501…) forward, in chunks of 5, and fails delivering chunk 1. Its staged
     * copy is deleted and row {@code moved} of it moves past the run; the resume re-seals it with
     * four rows, and after a third run the partner holds the source, each (key, version) once.
     */
    private void lostChunkOfASecondRun(int late, int fresh, long moved, ScanPhase phase) throws Exception {
        SourceDb db = SourceDb.h2(dir);
        Path drop = dir.resolve("drop");
        db.exec("CREATE TABLE items (id BIGINT PRIMARY KEY, version INT NOT NULL, "
                + "updated_at TIMESTAMP WITH TIME ZONE NOT NULL)");
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).withNano(0);
        insert(db, 1, 200, now.minusMinutes(30));
        insert(db, 201, 400, now.minusMinutes(5));
        ObjectNode contract = Contracts.base("items", db, "items", drop);
        ((ObjectNode) contract.get("late_data")).put("lookback", "1h");
        ((ObjectNode) contract.get("chunk")).put("max_rows", 5);
        try (TestEngine t = TestEngine.open(dir.resolve("ws"))) {
            t.importContract(contract.toString());
            RunResultAssert.completed(t.run("items"));

            insert(db, 401, 400 + late, now.minusMinutes(20)); // late rows: found by the next run's lookback
            for (long id = 501; id < 501 + fresh; id++) {
                db.exec("INSERT INTO items VALUES (" + id + ", 1, CURRENT_TIMESTAMP)");
            }
            Files.writeString(drop.resolve("items/run-000002"), "in the way");
            RunResult failed = t.run("items");
            assertThat(failed.run().state()).isEqualTo(RunState.FAILED);
            ChunkRecord before = t.status.run(failed.run().id()).chunks().get(0);
            assertThat(before.scanPhase()).isEqualTo(phase);
            assertThat(before.rowCount()).isEqualTo(5);
            Files.delete(drop.resolve("items/run-000002"));
            Files.delete(t.ctx.stagingDir().resolve(failed.run().id()).resolve(before.fileName()));
            // past run 2's bound, fixed by its first attempt; within the next run's
            db.exec("UPDATE items SET version = 2, updated_at = CURRENT_TIMESTAMP WHERE id = " + moved);

            RunResult resumed = t.run("items");
            assertThat(resumed.run().id()).isEqualTo(failed.run().id());
            RunResultAssert.completed(resumed);
            ChunkRecord after = t.status.run(failed.run().id()).chunks().get(0);
            assertThat(after.rowCount()).as("chunk 1 without row " + moved).isEqualTo(4);
            assertThat(after.sha256()).isNotEqualTo(before.sha256());
            RunResultAssert.completed(t.run("items"));

            Replay replay = Replay.of(drop.resolve("items"), "id");
            Map<String, Integer> partner = new HashMap<>();
            // H2 names unquoted columns in upper case
            replay.table.forEach((k, v) -> partner.put(k, v.path("VERSION").asInt(-1)));
            Map<String, Integer> source = new HashMap<>();
            for (long id = 1; id <= 400 + late; id++) {
                source.put(Long.toString(id), 1);
            }
            for (long id = 501; id < 501 + fresh; id++) {
                source.put(Long.toString(id), 1);
            }
            source.put(Long.toString(moved), 2);
            assertThat(partner).isEqualTo(source);
            Set<String> seen = new HashSet<>();
            replay.delivered.forEach(r -> assertThat(seen.add(r.get("ID").asText() + "@" + r.get("VERSION").asText()))
                    .as("delivered twice: %s", r).isTrue());
            assertThat(t.verify.verify("items", true)).allSatisfy(o -> assertThat(o.ok()).as(o.toString()).isTrue());
        }
    }

    private static void insert(SourceDb db, long fromId, long toId, OffsetDateTime at) throws Exception {
        try (Connection c = db.connect();
             PreparedStatement st = c.prepareStatement("INSERT INTO items (id, version, updated_at) VALUES (?, 1, ?)")) {
            for (long id = fromId; id <= toId; id++) {
                st.setLong(1, id);
                st.setObject(2, at);
                st.addBatch();
            }
            st.executeBatch();
        }
    }
}
