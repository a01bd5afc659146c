package dev.exportdesk.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.store.AckRepository;
import dev.exportdesk.store.AckState;
import dev.exportdesk.store.TransferAttempt;
import dev.exportdesk.engine.receipts.Acknowledgement;
import dev.exportdesk.engine.runs.RunResult;
import dev.exportdesk.store.AuditEntry;
import dev.exportdesk.store.ChunkRecord;
import dev.exportdesk.store.RunState;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.FaultProxy;
import dev.exportdesk.testing.Replay;
import dev.exportdesk.testing.SftpServer;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.TestEngine;
import dev.exportdesk.testing.WideRows;
import dev.exportdesk.transfer.SftpDestination;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine delivering to a real SFTP server through a fault-injecting proxy: interrupted and
 * stalled uploads resume from the server's bytes, every attempt is recorded per chunk, host-key and
 * credential failures stop at once with a clear reason (and the host key is audited), and partner
 * receipts are judged.
 */
@Timeout(180)
class RemoteTransferTest {
    static final String PASSWORD = "sftp-pass-for-engine-tests";

    @TempDir
    Path dir;
    SourceDb db;
    SftpServer server;
    FaultProxy proxy;
    TestEngine engine;
    ObjectNode contract;

    @BeforeEach
    void setUp() throws Exception {
        db = SourceDb.h2(dir);
        db.exec(WideRows.DDL);
        WideRows.insert(db, 1, 2500);
        Files.createDirectories(dir.resolve("sftp"));
        server = SftpServer.start(dir.resolve("sftp"), PASSWORD);
        proxy = FaultProxy.start(server.port());
        engine = TestEngine.open(dir.resolve("ws"));
        engine.vault.set("acme-sftp", PASSWORD, "sftp://127.0.0.1:" + proxy.port(), "test");
        contract = Contracts.base("items-to-acme", db, "items", dir.resolve("unused"));
        contract.put("compression", "none");
        contract.putObject("chunk").put("max_rows", 100_000).put("target_time", "1h");
        Contracts.sftpDestination(contract, server, proxy.port(), "acme-sftp").put("connect_timeout", "5s").put("stall_timeout", "1s")
                .put("ack_deadline", "1s");
    }

    @AfterEach
    void tearDown() throws Exception {
        engine.close();
        proxy.close();
        server.close();
    }

    Path delivered() {
        return dir.resolve("sftp/inbound/items-to-acme");
    }

    long temporaries() throws Exception {
        try (Stream<Path> s = Files.walk(dir.resolve("sftp"))) {
            return s.filter(p -> p.getFileName().toString().endsWith(".exportdesk-tmp")).count();
        }
    }

    @Test
    void interruptedChunkIsResumedByTheNextRunFromTheServersBytes() throws Exception {
        contract.putObject("retry").put("max_attempts", 1).put("initial_backoff", "1ms").put("max_backoff", "1ms");
        engine.importContract(contract.toString());
        proxy.arm(FaultProxy.Kind.CLOSE, 2_000_000);

        RunResult failed = engine.run("items-to-acme");
        assertThat(failed.run().state()).isEqualTo(RunState.FAILED);
        assertThat(failed.run().error()).contains("failed after");
        assertThat(engine.status.run(failed.run().id()).chunks()).extracting(ChunkRecord::state)
                .containsOnly(dev.exportdesk.store.ChunkState.FAILED);

        RunResult resumed = engine.engine.resume(failed.run().id(), ProgressListener.NONE);
        assertThat(resumed.run().state()).isEqualTo(RunState.COMPLETED);

        List<TransferAttempt> attempts = engine.status.attempts(resumed.run().id()).stream()
                .filter(a -> a.chunkSeq() > 0).toList();
        assertThat(attempts).extracting(TransferAttempt::outcome).containsExactly("RETRY", "OK");
        ChunkRecord chunk = engine.status.run(resumed.run().id()).chunks().get(0);
        assertThat(attempts.get(1).resumedFrom()).as("resumed from the server's bytes").isPositive();
        long sent = attempts.stream().mapToLong(TransferAttempt::bytesSent).sum();
        assertThat(sent - chunk.byteCount()).as("bytes re-sent").isLessThanOrEqualTo(SftpDestination.BLOCK);
        assertThat(attempts.get(0).error()).contains("failed after");

        Replay replay = Replay.of(delivered(), "ID");
        assertThat(replay.table).hasSize(2500);
        assertThat(replay.delivered).hasSize(2500);
        assertThat(temporaries()).isZero();
        assertThat(dev.exportdesk.chunk.Hashing.digest(delivered().resolve("run-000001").resolve(chunk.fileName()))
                .sha256()).as("delivered file hash equals the manifest's").isEqualTo(chunk.sha256());
    }

    @Test
    void stalledUploadIsAbortedWithinTheWindowAndResumedInTheSameRun() throws Exception {
        engine.importContract(contract.toString());
        proxy.arm(FaultProxy.Kind.STALL, 2_000_000);
        long t0 = System.nanoTime();
        RunResult result = engine.run("items-to-acme");
        assertThat(result.run().state()).isEqualTo(RunState.COMPLETED);
        assertThat((System.nanoTime() - t0) / 1_000_000).as("well before the proxy's own 30 s cap").isLessThan(20_000);

        List<TransferAttempt> attempts = engine.status.attempts(result.run().id()).stream()
                .filter(a -> a.chunkSeq() > 0).toList();
        assertThat(attempts).extracting(TransferAttempt::outcome).containsExactly("STALLED", "OK");
        assertThat(engine.status.attempts(result.run().id())).as("the run's own files are recorded too")
                .filteredOn(a -> a.chunkSeq() == 0).extracting(TransferAttempt::fileName)
                .contains("manifest.json", "SHA256SUMS");
        assertThat(attempts.get(0).error()).contains("no bytes acknowledged for 1000 ms");
        assertThat(attempts.get(1).resumedFrom()).isPositive();
        assertThat(Replay.of(delivered(), "ID").table).hasSize(2500);
        assertThat(temporaries()).isZero();
    }

    @Test
    void changedHostKeyIsRefusedAuditedAndNotRetried() throws Exception {
        contract.with("destination").put("host_key_sha256", SftpServer.start(dir.resolve("other"), "x")
                .fingerprint());
        engine.importContract(contract.toString());
        RunResult result = engine.run("items-to-acme");

        assertThat(result.run().state()).isEqualTo(RunState.FAILED);
        assertThat(result.run().error()).contains("HOST KEY CHANGED").contains(server.fingerprint().replace("=", ""));
        assertThat(engine.status.attempts(result.run().id())).hasSize(1);
        List<AuditEntry> audit = engine.status.audit(50);
        assertThat(audit).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo("destination.host-key-rejected");
            assertThat(e.after()).contains(server.fingerprint().replace("=", ""));
        });
        assertThat(Files.exists(delivered())).isFalse();
    }

    @Test
    void wrongPasswordFailsClearlyWithoutARetryStorm() throws Exception {
        engine.vault.set("acme-sftp", "not-the-password", "sftp://127.0.0.1:" + proxy.port(), "test");
        engine.importContract(contract.toString());
        long connections = proxy.connectionsAccepted();
        RunResult result = engine.run("items-to-acme");

        assertThat(result.run().state()).isEqualTo(RunState.FAILED);
        assertThat(result.run().error()).contains("authentication failed").contains("secret \"acme-sftp\"")
                .doesNotContain("not-the-password");
        assertThat(engine.status.attempts(result.run().id())).hasSize(1);
        assertThat(proxy.connectionsAccepted() - connections).isEqualTo(1);
    }

    @Test
    void receiptsAreJudgedAndAWrongHashMarksTheChunkForRedelivery() throws Exception {
        engine.importContract(contract.toString());
        RunResult result = engine.run("items-to-acme");
        assertThat(result.run().state()).isEqualTo(RunState.COMPLETED);
        String runId = result.run().id();
        Path ack = delivered().resolve("run-000001/manifest.json.ack");
        ChunkRecord chunk = engine.status.run(runId).chunks().get(0);
        ObjectMapper json = new ObjectMapper();

        assertThat(engine.acks.poll(runId).state()).isEqualTo(AckState.WAITING);

        ObjectNode receipt = json.createObjectNode().put("format", "exportdesk-ack/1").put("run_id", runId)
                .put("manifest_sha256", result.run().manifestSha256());
        receipt.putArray("chunks").addObject().put("file", chunk.fileName()).put("sha256", "0".repeat(64));
        Files.writeString(ack, receipt.toString());
        Acknowledgement wrong = engine.acks.poll(runId);
        assertThat(wrong.state()).isEqualTo(AckState.REDELIVERED);
        assertThat(wrong.chunks()).singleElement().satisfies(c -> {
            assertThat(c.state()).isEqualTo(AckState.REDELIVERED);
            assertThat(c.reason()).contains("partner computed sha256 " + "0".repeat(64));
        });
        assertThat(engine.status.audit(20)).extracting(AuditEntry::action).contains("ack.redeliver");
        assertThat(delivered().resolve("run-000001/redelivery-1.json")).exists();
        assertThat(engine.acks.poll(runId).state()).as("the same receipt is not judged twice")
                .isIn(AckState.REDELIVERED, AckState.OVERDUE);
        assertThat(delivered().resolve("run-000001/redelivery-2.json")).doesNotExist();

        Files.writeString(ack, "{not json");
        assertThat(engine.acks.poll(runId).state()).isEqualTo(AckState.REJECTED);
        Files.writeString(ack, receipt.deepCopy().put("run_id", "another-run").toString());
        assertThat(engine.acks.poll(runId).detail()).contains("is for run another-run");
        Files.write(ack, new byte[2 * 1024 * 1024]);
        assertThat(engine.acks.poll(runId).detail()).contains("over the");
        assertThat(engine.status.audit(50)).extracting(AuditEntry::action).contains("ack.reject");

        ((ObjectNode) receipt.get("chunks").get(0)).put("sha256", chunk.sha256());
        Files.writeString(ack, receipt.toString());
        Acknowledgement good = engine.acks.poll(runId);
        assertThat(good.state()).isEqualTo(AckState.ACKNOWLEDGED);
        assertThat(good.chunks()).extracting(AckRepository.ChunkAck::state).containsOnly(AckState.ACKNOWLEDGED);
    }

    @Test
    void aChunkDamagedAtTheDestinationIsSentAgainAndTheFreshReceiptAccepted() throws Exception {
        contract.with("destination").put("ack_deadline", "1h");
        engine.importContract(contract.toString());
        RunResult result = engine.run("items-to-acme");
        String runId = result.run().id();
        ChunkRecord chunk = engine.status.run(runId).chunks().get(0);
        Path runDir = delivered().resolve("run-000001");
        Path file = runDir.resolve(chunk.fileName());
        Path retained = dir.resolve("ws/retained").resolve(runId);
        assertThat(retained.resolve(chunk.fileName())).as("kept for redelivery until acknowledged").exists();

        flipOneByte(file);
        writePartnerReceipt(runDir, runId, result.run().manifestSha256(), "first load");
        Acknowledgement redelivered = engine.acks.poll(runId);

        assertThat(redelivered.state()).isEqualTo(AckState.REDELIVERED);
        assertThat(redelivered.detail()).contains("redelivery 1 of 3");
        assertThat(dev.exportdesk.chunk.Hashing.digest(file).sha256()).as("the sealed bytes are back")
                .isEqualTo(chunk.sha256());
        assertThat(engine.status.attempts(runId)).filteredOn(a -> a.chunkSeq() == chunk.seq())
                .extracting(TransferAttempt::outcome).containsExactly("OK", "OK");
        com.fasterxml.jackson.databind.JsonNode notice = new ObjectMapper().readTree(
                runDir.resolve("redelivery-1.json").toFile());
        assertThat(notice.path("format").asText()).isEqualTo("exportdesk-redelivery/1");
        assertThat(notice.path("chunks").get(0).path("file").asText()).isEqualTo(chunk.fileName());
        assertThat(temporaries()).isZero();
        assertThat(engine.verify.verify(runId).report().checks()).as("only the stale receipt disagrees")
                .filteredOn(c -> !c.ok()).extracting(dev.exportdesk.verify.Check::subject)
                .containsExactly("manifest.json.ack");

        writePartnerReceipt(runDir, runId, result.run().manifestSha256(), "reloaded after redelivery 1");
        Acknowledgement accepted = engine.acks.poll(runId);
        assertThat(accepted.state()).isEqualTo(AckState.ACKNOWLEDGED);
        assertThat(accepted.detail()).contains("after 1 redelivery");
        assertThat(retained).as("retained copies released once acknowledged").doesNotExist();
        assertThat(engine.verify.verify(runId).report().checks()).as("verify accepts the run with its notice")
                .filteredOn(c -> !c.ok()).isEmpty();
    }

    @Test
    void afterThreeRedeliveriesAMismatchIsLeftToAPerson() throws Exception {
        contract.with("destination").put("ack_deadline", "1h");
        engine.importContract(contract.toString());
        RunResult result = engine.run("items-to-acme");
        String runId = result.run().id();
        Path runDir = delivered().resolve("run-000001");
        ChunkRecord chunk = engine.status.run(runId).chunks().get(0);
        for (int n = 1; n <= 3; n++) {
            flipOneByte(runDir.resolve(chunk.fileName()));
            writePartnerReceipt(runDir, runId, result.run().manifestSha256(), "load " + n);
            assertThat(engine.acks.poll(runId).state()).isEqualTo(AckState.REDELIVERED);
        }
        flipOneByte(runDir.resolve(chunk.fileName()));
        writePartnerReceipt(runDir, runId, result.run().manifestSha256(), "load 4");
        Acknowledgement gaveUp = engine.acks.poll(runId);
        assertThat(gaveUp.state()).isEqualTo(AckState.REDELIVER);
        assertThat(gaveUp.detail()).contains("gave up after 3 redeliveries");
        assertThat(runDir.resolve("redelivery-4.json")).doesNotExist();
        assertThat(engine.status.audit(50)).extracting(AuditEntry::action).contains("ack.mismatch");
    }

    private static void flipOneByte(Path file) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x20;
        Files.write(file, bytes);
    }

    /** What a partner writes: the hashes of the files as it received them (docs/acknowledgements.md). */
    private static void writePartnerReceipt(Path runDir, String runId, String manifestSha, String note)
            throws Exception {
        ObjectNode receipt = new ObjectMapper().createObjectNode().put("format", "exportdesk-ack/1")
                .put("run_id", runId).put("manifest_sha256", manifestSha).put("received_at", note);
        var list = receipt.putArray("chunks");
        try (Stream<Path> files = Files.list(runDir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("chunk-")).sorted().toList()) {
                list.addObject().put("file", f.getFileName().toString())
                        .put("sha256", dev.exportdesk.chunk.Hashing.digest(f).sha256());
            }
        }
        Files.writeString(runDir.resolve("manifest.json.ack"), receipt.toString());
    }

    @Test
    void aMissingReceiptPastTheDeadlineIsAnSloBreach() throws Exception {
        engine.importContract(contract.toString());
        RunResult result = engine.run("items-to-acme");
        Thread.sleep(1_200);
        assertThat(engine.acks.expected(result.run()).orElseThrow().sloBreached())
                .as("visible in status even before anyone polls").isTrue();
        Acknowledgement a = engine.acks.poll(result.run().id());
        assertThat(a.state()).isEqualTo(AckState.OVERDUE);
        assertThat(a.sloBreached()).isTrue();
        assertThat(engine.acks.current(result.run().id()).orElseThrow().sloBreached()).isTrue();
        assertThat(engine.status.audit(20)).extracting(AuditEntry::action).contains("ack.overdue");
    }
}
