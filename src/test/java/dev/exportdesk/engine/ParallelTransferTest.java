package dev.exportdesk.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.store.TransferAttempt;
import dev.exportdesk.engine.runs.RunResult;
import dev.exportdesk.store.ChunkRecord;
import dev.exportdesk.store.ChunkState;
import dev.exportdesk.store.RunState;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.FaultProxy;
import dev.exportdesk.testing.Replay;
import dev.exportdesk.testing.SftpServer;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.TestEngine;
import dev.exportdesk.testing.WideRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several chunks travelling at once to a real SFTP server, each over its own connection, under one
 * shared bandwidth cap: they arrive exactly once whatever their order, a failure stops the others
 * and resume delivers the rest, and the cap holds for all of them together.
 */
@Timeout(180)
class ParallelTransferTest {
    static final String PASSWORD = "sftp-pass-for-parallel-tests";
    static final int PARALLEL = 3;

    @TempDir
    Path dir;
    SftpServer server;
    FaultProxy proxy;
    TestEngine engine;
    ObjectNode contract;

    @BeforeEach
    void setUp() throws Exception {
        SourceDb db = SourceDb.h2(dir);
        db.exec(WideRows.DDL);
        WideRows.insert(db, 1, 2500);
        Files.createDirectories(dir.resolve("sftp"));
        server = SftpServer.start(dir.resolve("sftp"), PASSWORD);
        proxy = FaultProxy.start(server.port());
        engine = TestEngine.open(dir.resolve("ws"));
        engine.vault.set("acme-sftp", PASSWORD, "sftp://127.0.0.1:" + proxy.port(), "test");
        contract = Contracts.base("items-to-acme", db, "items", dir.resolve("unused"));
        contract.put("compression", "none");
        contract.putObject("chunk").put("max_rows", 200).put("target_time", "1h");
        Contracts.sftpDestination(contract, server, proxy.port(), "acme-sftp").put("connect_timeout", "5s").put("stall_timeout", "5s")
                .put("parallel_transfers", PARALLEL);
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

    @Test
    void chunksTravelTogetherOverTheirOwnConnectionsAndArriveExactlyOnce() throws Exception {
        engine.importContract(contract.toString());
        proxy.latency(3);
        RunResult result = engine.run("items-to-acme");

        assertThat(result.run().state()).isEqualTo(RunState.COMPLETED);
        List<TransferAttempt> chunkAttempts = engine.status.attempts(result.run().id()).stream()
                .filter(a -> a.chunkSeq() > 0).toList();
        assertThat(chunkAttempts).hasSize(result.run().chunkCount()).extracting(TransferAttempt::outcome)
                .containsOnly("OK");
        assertThat(result.run().chunkCount()).isGreaterThanOrEqualTo(10);
        int overlap = maxOverlap(chunkAttempts);
        assertThat(overlap).as("chunks in flight at once").isBetween(2, PARALLEL);
        assertThat(proxy.connectionsAccepted()).as("one connection per transfer slot").isLessThanOrEqualTo(PARALLEL);

        Replay replay = Replay.of(delivered(), "ID");
        assertThat(replay.table).hasSize(2500);
        assertThat(replay.delivered).hasSize(2500);
        assertThat(temporaries()).isZero();
    }

    @Test
    void aFailedTransferStopsTheRunAndResumeDeliversTheRestOnce() throws Exception {
        contract.putObject("retry").put("max_attempts", 1).put("initial_backoff", "1ms").put("max_backoff", "1ms");
        engine.importContract(contract.toString());
        proxy.arm(FaultProxy.Kind.RESET, 1_500_000);

        RunResult failed = engine.run("items-to-acme");
        assertThat(failed.run().state()).isEqualTo(RunState.FAILED);
        List<ChunkRecord> chunks = engine.status.run(failed.run().id()).chunks();
        assertThat(chunks).extracting(ChunkRecord::state).contains(ChunkState.FAILED)
                .doesNotContain(ChunkState.DELIVERING);
        assertThat(Files.exists(delivered().resolve("run-000001/manifest.json"))).isFalse();

        RunResult resumed = engine.engine.resume(failed.run().id(), ProgressListener.NONE);
        assertThat(resumed.run().state()).isEqualTo(RunState.COMPLETED);
        Replay replay = Replay.of(delivered(), "ID");
        assertThat(replay.table).hasSize(2500);
        assertThat(replay.delivered).as("no row delivered twice").hasSize(2500);
        assertThat(temporaries()).isZero();
    }

    @Test
    void oneBandwidthCapHoldsForAllTransfersTogether() throws Exception {
        long cap = 2_000_000;
        ((ObjectNode) contract.get("destination")).put("max_bytes_per_second", cap);
        engine.importContract(contract.toString());
        long t0 = System.nanoTime();
        RunResult result = engine.run("items-to-acme");
        long elapsedMs = (System.nanoTime() - t0) / 1_000_000;

        assertThat(result.run().state()).isEqualTo(RunState.COMPLETED);
        long bytes = engine.status.attempts(result.run().id()).stream().mapToLong(TransferAttempt::bytesSent).sum();
        assertThat(bytes).isGreaterThan(3_000_000);
        assertThat(elapsedMs).as("%d bytes at most %d bytes/s, whatever the parallelism", bytes, cap)
                .isGreaterThanOrEqualTo(bytes * 1000 / cap - 200);
        assertThat(maxOverlap(engine.status.attempts(result.run().id()).stream().filter(a -> a.chunkSeq() > 0)
                .toList())).isGreaterThanOrEqualTo(2);
    }

    /** The most attempts whose [start, start + duration] intervals overlap at one instant. */
    static int maxOverlap(List<TransferAttempt> attempts) {
        List<long[]> events = new ArrayList<>();
        for (TransferAttempt a : attempts) {
            long start = micros(a.startedAt());
            events.add(new long[] {start, 1});
            events.add(new long[] {start + a.durationMillis() * 1000, -1});
        }
        events.sort((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]));
        int now = 0;
        int max = 0;
        for (long[] e : events) {
            now += (int) e[1];
            max = Math.max(max, now);
        }
        return max;
    }

    private static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000 + t.getNano() / 1000;
    }

    long temporaries() throws Exception {
        try (Stream<Path> s = Files.walk(dir.resolve("sftp"))) {
            return s.filter(p -> p.getFileName().toString().endsWith(".exportdesk-tmp")).count();
        }
    }
}
