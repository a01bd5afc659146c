package dev.exportdesk.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.chunk.Hashing;
import dev.exportdesk.chunk.Manifest;
import dev.exportdesk.chunk.ManifestCodec;
import dev.exportdesk.store.TransferAttempt;
import dev.exportdesk.engine.runs.RunResult;
import dev.exportdesk.store.RunState;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.FaultProxy;
import dev.exportdesk.testing.SftpServer;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.TestEngine;
import dev.exportdesk.testing.WideRows;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM running {@code exportdesk run} is killed with SIGKILL while a chunk is half uploaded
 * to a real SFTP server; {@code resume} then completes the run from the server's bytes. What must
 * hold: every delivered file hashes to the manifest, exactly one final file per chunk, no temporary
 * left visible to the partner, and the resumed attempt started at the offset the server held.
 */
@Timeout(180)
class SftpKillResumeTest {
    static final String PASSWORD = "kill-test-password";

    @TempDir
    Path dir;

    /** What the resumed run delivered, and where. */
    private record Resumed(RunResult result, Path run, Manifest manifest) {
    }

    @Test
    void sigkillMidUploadThenResume() throws Exception {
        Resumed r = killMidUploadThenResume(null, Clock.systemUTC());
        assertThat(r.run()).isEqualTo(dir.resolve("sftp/inbound/items-to-acme/run-000001"));
    }

    /**
     * Issue 16 item 3: under a path template down to the hour, resumed 40 days and an hour later by
     * the engine's clock, the run finds the folder its first attempt was writing (the run's stored
     * creation time names it, not the clock) and continues from the partial temporary there.
     */
    @Test
    void underAPathTemplateTheResumeFindsTheFolderItsCreationTimeNames() throws Exception {
        Resumed r = killMidUploadThenResume("{partner}/{yyyy}/{mm}/{dd}/{hh}/{contract}-{sequence}",
                Clock.offset(Clock.systemUTC(), Duration.ofDays(40).plusHours(1)));
        ZonedDateTime planned = r.result().run().plannedAt().atZone(ZoneOffset.UTC);
        String expected = String.format("acme/%04d/%02d/%02d/%02d/items-to-acme-000001", planned.getYear(),
                planned.getMonthValue(), planned.getDayOfMonth(), planned.getHour());
        assertThat(dir.resolve("sftp/inbound").relativize(r.run()).toString()).isEqualTo(expected);
        assertThat(r.result().runDirectory()).isEqualTo(expected);
        assertThat(r.manifest().runDirectory()).isEqualTo(expected);
    }

    private Resumed killMidUploadThenResume(String template, Clock resumeClock) throws Exception {
        SourceDb db = SourceDb.h2(dir);
        db.exec(WideRows.DDL);
        WideRows.insert(db, 1, 3000);
        Path root = Files.createDirectories(dir.resolve("sftp"));
        try (SftpServer server = SftpServer.start(root, PASSWORD);
             FaultProxy proxy = FaultProxy.start(server.port())) {
            proxy.throttle(1_500_000);
            Path ws = dir.resolve("ws");
            try (TestEngine engine = TestEngine.open(ws)) {
                engine.vault.set("acme-sftp", PASSWORD, "sftp://127.0.0.1:" + proxy.port(), "test");
                ObjectNode c = Contracts.base("items-to-acme", db, "items", dir.resolve("unused"));
                c.put("compression", "none");
                c.putObject("chunk").put("max_rows", 100_000).put("target_time", "1h");
                ObjectNode destination = Contracts.sftpDestination(c, server, proxy.port(), "acme-sftp");
                if (template != null) {
                    destination.put("path_template", template);
                }
                engine.importContract(c.toString());
            }

            Process child = new ProcessBuilder(javaBin(), "-cp", System.getProperty("java.class.path"),
                    "dev.exportdesk.app.Main", "--workspace", ws.toString(), "run", "items-to-acme")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
            long heldAtKill = waitForPartialUpload(root, 1_000_000, child);
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(heldAtKill).as("killed mid-upload").isPositive();
            proxy.throttle(0);
            Path partial = temporary(root);

            try (TestEngine engine = TestEngine.open(ws, resumeClock)) {
                RunResult result = engine.run("items-to-acme");
                assertThat(result.run().state()).as(Files.readString(dir.resolve("child.log")))
                        .isEqualTo(RunState.COMPLETED);
                List<TransferAttempt> attempts = engine.status.attempts(result.run().id()).stream()
                        .filter(a -> a.chunkSeq() > 0).toList();
                TransferAttempt last = attempts.get(attempts.size() - 1);
                assertThat(last.outcome()).isEqualTo("OK");
                assertThat(last.resumedFrom()).as("resumed from the server's temporary file")
                        .isGreaterThanOrEqualTo(heldAtKill);

                Path run = partial.getParent();
                Manifest manifest = ManifestCodec.read(Files.readAllBytes(run.resolve("manifest.json")));
                for (var chunk : manifest.chunks()) {
                    assertThat(Hashing.digest(run.resolve(chunk.file())).sha256()).isEqualTo(chunk.sha256());
                }
                try (Stream<Path> files = Files.list(run)) {
                    assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                            .containsExactly("SHA256SUMS", "checkpoint.txt", "chunk-000001.jsonl", "ledger-proofs.json",
                                    "manifest.json");
                }
                try (Stream<Path> s = Files.walk(root)) {
                    assertThat(s.filter(f -> f.getFileName().toString().equals("manifest.json")).toList())
                            .as("nothing landed elsewhere").containsExactly(run.resolve("manifest.json"));
                }
                return new Resumed(result, run, manifest);
            }
        }
    }

    /** The one partial upload the killed attempt left; its folder is the run's. */
    private static Path temporary(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            List<Path> tmp = s.filter(f -> f.getFileName().toString().endsWith(".exportdesk-tmp")).toList();
            assertThat(tmp).hasSize(1);
            return tmp.get(0);
        }
    }

    private static long waitForPartialUpload(Path root, long atLeast, Process child) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline && child.isAlive()) {
            try (Stream<Path> s = Files.walk(root)) {
                for (Path p : s.filter(f -> f.getFileName().toString().endsWith(".exportdesk-tmp")).toList()) {
                    long size = Files.size(p);
                    if (size >= atLeast) {
                        return size;
                    }
                }
            }
            Thread.sleep(20);
        }
        return -1;
    }

    private static String javaBin() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }
}
