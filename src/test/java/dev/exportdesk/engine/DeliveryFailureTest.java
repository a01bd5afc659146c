package dev.exportdesk.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.engine.runs.RunResult;
import dev.exportdesk.store.ChunkRecord;
import dev.exportdesk.store.ChunkState;
import dev.exportdesk.store.RunState;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.Replay;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A destination that keeps failing: the chunk is retried up to the contract's limit, then fails
 * with its reason and attempt count in status; once the destination is fixed, resume completes the
 * same run and the partner receives each row exactly once.
 */
class DeliveryFailureTest {
    @TempDir
    Path dir;

    @Test
    void exhaustedRetriesFailTheChunkVisiblyAndResumeCompletesIt() throws Exception {
        SourceDb db = SourceDb.h2(dir);
        db.exec("CREATE TABLE t (id BIGINT PRIMARY KEY, updated_at TIMESTAMP WITH TIME ZONE NOT NULL)",
                "INSERT INTO t SELECT X, TIMESTAMP WITH TIME ZONE '2024-01-01 00:00:00+00' FROM SYSTEM_RANGE(1, 1500)");
        Path drop = dir.resolve("drop");
        ObjectNode contract = Contracts.base("t", db, "t", drop);
        try (TestEngine t = TestEngine.open(dir.resolve("ws"))) {
            t.importContract(contract.toString());
            // a file where the run's directory should be: every write fails (like a broken mount)
            Files.createDirectories(drop.resolve("t"));
            Files.writeString(drop.resolve("t/run-000001"), "in the way");

            RunResult failed = t.run("t");
            assertThat(failed.run().state()).isEqualTo(RunState.FAILED);
            assertThat(failed.run().error()).contains("chunk-000001.jsonl.zst").contains("gave up after 3 attempts");
            ChunkRecord chunk = t.status.run(failed.run().id()).chunks().get(0);
            assertThat(chunk.state()).isEqualTo(ChunkState.FAILED);
            assertThat(chunk.attempts()).isEqualTo(3);
            assertThat(chunk.lastError()).isNotBlank();

            Files.delete(drop.resolve("t/run-000001"));
            RunResult resumed = t.run("t"); // `run` completes the unfinished run first
            assertThat(resumed.run().id()).isEqualTo(failed.run().id());
            RunResultAssert.completed(resumed);
            Replay replay = Replay.of(drop.resolve("t"), "id");
            assertThat(replay.delivered).hasSize(1500);
            assertThat(replay.table).hasSize(1500);
        }
    }
}
