package dev.exportdesk.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.engine.runs.RunResult;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.Replay;
import dev.exportdesk.testing.SequentialItems;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.TestEngine;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * While one thread executes a contract's run, another thread of the same process may not run,
 * resume or correct that contract (as a console's Run now right after Cancel would, before the
 * cancelled run has reached its next progress report); another contract runs meanwhile, and the
 * contract runs again once the first execution has returned. Every row reaches the partner once.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RunClaimsTest {
    @TempDir
    Path dir;

    @Test
    void aContractsRunIsExecutedByOneThreadAtATime() throws Exception {
        SourceDb db = SourceDb.h2(dir);
        ObjectNode items = SequentialItems.contract(db, dir.resolve("drop"), 1000);
        try (TestEngine t = TestEngine.open(dir.resolve("ws"))) {
            t.importContract(items.toString());
            t.importContract(Contracts.json(items, c -> c.put("name", "other-items")));
            CountDownLatch inside = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicReference<String> runId = new AtomicReference<>();
            CompletableFuture<RunResult> first = CompletableFuture.supplyAsync(() -> t.engine.run("items", p -> {
                if (runId.compareAndSet(null, p.runId())) {
                    inside.countDown();
                    try {
                        release.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }));
            assertThat(inside.await(60, TimeUnit.SECONDS)).as("the first run reported progress").isTrue();

            assertThatThrownBy(() -> t.engine.run("items", ProgressListener.NONE)).isInstanceOf(EngineException.class)
                    .hasMessage("contract \"items\" is already running here (started by test); a cancelled run "
                            + "stops at its next progress report: try again once it has stopped");
            assertThatThrownBy(() -> t.engine.resume(runId.get(), ProgressListener.NONE))
                    .hasMessageContaining("is already running here");
            assertThatThrownBy(() -> t.engine.correct("items", ProgressListener.NONE))
                    .hasMessageContaining("is already running here");
            assertThat(t.engine.run("other-items", ProgressListener.NONE).completed())
                    .as("another contract is not held up").isTrue();

            release.countDown();
            assertThat(first.get(60, TimeUnit.SECONDS).completed()).isTrue();
            assertThat(t.engine.run("items", ProgressListener.NONE).completed()).as("free again").isTrue();
        }
        Replay replay = Replay.of(dir.resolve("drop/items"), "id");
        assertThat(replay.delivered).as("each row delivered once").hasSize(1000);
        assertThat(replay.table).hasSize(1000);
    }
}
