package dev.exportdesk.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.engine.runs.RunResult;
import dev.exportdesk.engine.verification.VerifyService;
import dev.exportdesk.store.AuditEntry;
import dev.exportdesk.store.ChunkRecord;
import dev.exportdesk.store.ChunkState;
import dev.exportdesk.store.RunState;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.Replay;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
        db.exec("CREATE TABLE t (id BIGINT PRIMARY KEY, updated_at TIMESTAMP WITH TIME ZONE NOT NULL)",
                "INSERT INTO t SELECT X, TIMESTAMP WITH TIME ZONE '2024-01-01 00:00:00+00' FROM SYSTEM_RANGE(1, 1500)");
        ObjectNode contract = Contracts.base("t", db, "t", drop);
        TestEngine t = TestEngine.open(dir.resolve("ws"));
        t.importContract(contract.toString());
        // a file where the run's directory belongs: chunk 1 is sealed, then its delivery fails
        Files.createDirectories(drop.resolve("t"));
        Files.writeString(drop.resolve("t/run-000001"), "in the way");
        RunResult failed = t.run("t");
        assertThat(failed.run().state()).isEqualTo(RunState.FAILED);
        runId = failed.run().id();
        Files.delete(drop.resolve("t/run-000001"));
        Path staged = t.ctx.stagingDir().resolve(failed.run().id()).resolve("chunk-000001.jsonl.zst");
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
        SourceDb db = SourceDb.h2(dir);
        Path drop = dir.resolve("drop");
        try (TestEngine t = failedFirstDelivery(db, drop)) {
            ChunkRecord before = t.status.run(runId).chunks().get(0);
            RunResultAssert.completed(t.run("t"));
            ChunkRecord after = t.status.run(runId).chunks().get(0);
            assertThat(after.sha256()).isEqualTo(before.sha256());
            assertThat(t.status.audit(50)).filteredOn(e -> e.action().equals("chunk.recaptured")).singleElement()
                    .satisfies(e -> assertThat(e.after()).isEqualTo(e.before()).isEqualTo(before.sha256()));
            assertThat(after.state()).isEqualTo(ChunkState.DELIVERED);
            Replay replay = Replay.of(drop.resolve("t"), "id");
            assertThat(replay.delivered).hasSize(1500);
            assertThat(replay.table).hasSize(1500);
        }
    }
}
