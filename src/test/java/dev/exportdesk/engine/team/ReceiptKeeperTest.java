package dev.exportdesk.engine.team;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.chunk.Hashing;
import dev.exportdesk.engine.ContractService;
import dev.exportdesk.engine.DueWork;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.engine.receipts.AckService;
import dev.exportdesk.engine.receipts.Acknowledgement;
import dev.exportdesk.store.AckState;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.StateStore;
import dev.exportdesk.store.TaskClaim;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Team mode keeps a delivered chunk's retained copy (for a redelivery a partner's receipt may ask
 * for) in the workspace of the worker that delivered it, and records that worker. Injected: the run's
 * chunks recorded as kept by worker a, chunk 2 damaged at the destination and the partner's receipt
 * naming the damaged bytes, the retained copy of chunk 2 absent from the polling worker's machine.
 * Must hold: while a is alive its receipt polls are left to it; a poll by worker b sends nothing,
 * says who keeps the copy and leaves the run to be checked again (not "cannot be sent again"); a's
 * poll then sends the sealed bytes back.
 */
class ReceiptKeeperTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void aRedeliveryWhoseRetainedCopyAnotherWorkerKeepsIsLeftToThatWorker() throws Exception {
        SourceDb db = SourceDb.h2(dir.resolve("src"));
        db.exec("CREATE TABLE t (id BIGINT PRIMARY KEY, updated_at TIMESTAMP WITH TIME ZONE NOT NULL)",
                "INSERT INTO t SELECT X, TIMESTAMP WITH TIME ZONE '2024-01-01 00:00:00+00' FROM SYSTEM_RANGE(1, 300)");
        ObjectNode contract = Contracts.base("t", db, "t", dir.resolve("drop"));
        ((ObjectNode) contract.get("chunk")).put("max_rows", 100);
        ((ObjectNode) contract.get("destination")).put("ack_deadline", "1h");
        try (TestEngine t = TestEngine.open(dir.resolve("ws"))) {
            t.importContract(contract.toString());
            RunRecord run = t.run("t").run();
            StateStore store = t.ctx.store();
            store.update(c -> {
                for (int seq = 1; seq <= 3; seq++) {
                    store.chunks().retainedBy(c, run.id(), seq, "a");
                }
            });
            WorkClaims a = new WorkClaims(t.ctx, t.contracts, "a", TIMEOUT);
            WorkClaims b = new WorkClaims(t.ctx, t.contracts, "b", TIMEOUT);
            heartbeat(store, "a", OffsetDateTime.now(ZoneOffset.UTC));
            assertThat(b.receiptKeptElsewhere(run.id())).as("a, the keeper, is alive").isTrue();
            assertThat(a.receiptKeptElsewhere(run.id())).isFalse();
            heartbeat(store, "a", OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(5));
            assertThat(b.receiptKeptElsewhere(run.id())).as("a went silent: anyone polls").isFalse();

            Path runDir = dir.resolve("drop/t/run-000001");
            Path chunk = runDir.resolve("chunk-000002.jsonl.zst");
            byte[] sealed = Files.readAllBytes(chunk);
            byte[] damaged = sealed.clone();
            damaged[10] ^= 0x01;
            Files.write(chunk, damaged);
            writeReceipt(runDir, run.id());
            Path copy = t.workspace.root().resolve("retained").resolve(run.id()).resolve("chunk-000002.jsonl.zst");
            Path aside = dir.resolve("on-a's-machine.zst");
            Files.move(copy, aside); // b's workspace does not have it

            Acknowledgement byB = poll(t, b.task("t", "receipt:" + run.id()).orElseThrow());
            assertThat(byB.state()).isEqualTo(AckState.REDELIVER);
            assertThat(byB.detail()).contains("kept by worker a").contains("tried again at the next check")
                    .doesNotContain("cannot be sent again");
            assertThat(Files.readAllBytes(chunk)).as("nothing sent by b").isEqualTo(damaged);
            assertThat(runDir.resolve("redelivery-1.json")).doesNotExist();
            assertThat(new DueWork(t.ctx, t.contracts).receipts()).extracting(RunRecord::id).contains(run.id());

            Files.move(aside, copy);
            expire(store, "receipt:" + run.id());
            Acknowledgement byA = poll(t, a.task("t", "receipt:" + run.id()).orElseThrow());
            assertThat(byA.state()).as(byA.detail()).isEqualTo(AckState.REDELIVERED);
            assertThat(Files.readAllBytes(chunk)).as("the sealed bytes are back").isEqualTo(sealed);
            assertThat(runDir.resolve("redelivery-1.json")).exists();
        }
    }

    private static Acknowledgement poll(TestEngine t, TaskClaim claim) {
        EngineContext fenced = t.ctx.withStore(t.ctx.store().fenced(claim));
        return new AckService(fenced, new ContractService(fenced, () -> false)).poll(claim.key().substring(8));
    }

    private static void heartbeat(StateStore store, String worker, OffsetDateTime at) {
        store.update(c -> {
            try (var st = c.prepareStatement("DELETE FROM workers WHERE name = ?")) {
                st.setString(1, worker);
                st.executeUpdate();
            }
            try (var st = c.prepareStatement("INSERT INTO workers(name, host, pid, started_at, heartbeat_at, state) "
                    + "VALUES (?, 'host-a', 1, ?, ?, 'RUNNING')")) {
                st.setString(1, worker);
                st.setObject(2, at);
                st.setObject(3, at);
                st.executeUpdate();
            }
        });
    }

    private static void expire(StateStore store, String key) {
        store.update(c -> {
            try (var st = c.prepareStatement("UPDATE work_claims SET expires_at = ? WHERE work_key = ?")) {
                st.setObject(1, OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1));
                st.setString(2, key);
                st.executeUpdate();
            }
        });
    }

    /** The partner's receipt: what it holds, the damaged chunk included (sha256sum of each file). */
    private static void writeReceipt(Path runDir, String runId) throws Exception {
        ObjectNode receipt = new ObjectMapper().createObjectNode().put("format", "exportdesk-ack/1")
                .put("run_id", runId).put("manifest_sha256", Hashing.digest(runDir.resolve("manifest.json")).sha256());
        var chunks = receipt.putArray("chunks");
        for (int i = 1; i <= 3; i++) {
            String name = "chunk-00000" + i + ".jsonl.zst";
            chunks.addObject().put("file", name).put("sha256", Hashing.digest(runDir.resolve(name)).sha256());
        }
        Files.writeString(runDir.resolve("manifest.json.ack"), receipt.toString());
    }
}
