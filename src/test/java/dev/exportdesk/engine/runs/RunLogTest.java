package dev.exportdesk.engine.runs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.engine.RunResultAssert;
import dev.exportdesk.store.RunState;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.SftpServer;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.TestEngine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each run's own log (logs/runs/RUN_ID.log), from real runs on real workspaces: a delivery that fails
 * leaves the failure with its cause chain between "attempt 1 started" and "attempt 1 ended"; the resume
 * that completes the run appends attempt 2, with the chunks the transfer threads delivered; a vault
 * secret sent to a destination that refuses it is in no byte of any log; the size limit holds.
 */
@Timeout(120)
class RunLogTest {
    @TempDir
    Path dir;

    @Test
    void aFailedAndResumedRunLogsBothAttemptsWithTheFailuresCauses() throws Exception {
        SourceDb db = SourceDb.h2(dir);
        db.exec("CREATE TABLE t (id BIGINT PRIMARY KEY, updated_at TIMESTAMP WITH TIME ZONE NOT NULL)",
                "INSERT INTO t SELECT X, TIMESTAMP WITH TIME ZONE '2024-01-01 00:00:00+00' FROM SYSTEM_RANGE(1, 2500)");
        Path drop = dir.resolve("drop");
        ObjectNode contract = Contracts.base("t", db, "t", drop);
        ((ObjectNode) contract.get("destination")).put("parallel_transfers", 2);
        try (TestEngine t = TestEngine.open(dir.resolve("ws"))) {
            t.importContract(contract.toString());
            // a file where the run's directory should be: every write fails
            Files.createDirectories(drop.resolve("t"));
            Files.writeString(drop.resolve("t/run-000001"), "in the way");

            RunResult failed = t.run("t");
            assertThat(failed.run().state()).isEqualTo(RunState.FAILED);
            String id = failed.run().id();
            Path log = dir.resolve("ws/logs/runs/" + id + ".log");
            String first = Files.readString(log);
            assertThat(first).contains("attempt 1 of run " + id + " (t #1, incremental, contract v1) started by test")
                    .contains("chunk chunk-000001.jsonl.zst sealed: 1000 row(s)")
                    .contains("failed (attempt 1 of 3), retrying")
                    .contains("run " + id + " failed: " + failed.run().error())
                    .as("the cause chain of the failure").contains("Caused by: dev.exportdesk.transfer.DeliveryException")
                    .contains("attempt 1 ended: FAILED");
            assertThat(first).as("transfer threads log into the run's log").contains("[exportdesk-transfer-");
            assertThat(first.indexOf("attempt 1 of run")).isLessThan(first.indexOf("failed: "));
            assertThat(first.indexOf("failed: ")).isLessThan(first.indexOf("attempt 1 ended: FAILED"));

            Files.delete(drop.resolve("t/run-000001"));
            RunResult resumed = t.run("t");
            assertThat(resumed.run().id()).isEqualTo(id);
            RunResultAssert.completed(resumed);
            String both = Files.readString(log);
            assertThat(both).startsWith(first).as("attempt 2 is appended");
            String second = both.substring(first.length());
            assertThat(second).contains("attempt 2 of run " + id + " (t #1, incremental, contract v1) started by test, "
                    + "resuming from FAILED").contains("chunk chunk-000003.jsonl.zst delivered to")
                    .contains("manifest.json delivered").contains("run 1 completed: 2500 row(s), 3 chunk(s)")
                    .contains("attempt 2 ended: COMPLETED, 2500 row(s) in 3 chunk(s)");
            assertThat(new RunLogs(t.ctx).read(id)).contains(both);

            // a second run has a log of its own, and nothing of run 1's
            db.exec("INSERT INTO t VALUES (9999, TIMESTAMP WITH TIME ZONE '2024-01-02 00:00:00+00')");
            RunResult next = t.run("t");
            String other = Files.readString(dir.resolve("ws/logs/runs/" + next.run().id() + ".log"));
            assertThat(other).contains("attempt 1 of run " + next.run().id()).doesNotContain(id);
            assertThat(Files.readString(log)).isEqualTo(both);
        }
    }

    @Test
    void aVaultSecretTheDestinationRefusesIsInNoLogByte() throws Exception {
        String planted = "PLANTED-SFTP-SECRET-5c1e7a90b2";
        SourceDb db = SourceDb.h2(dir);
        db.exec("CREATE TABLE t (id BIGINT PRIMARY KEY, updated_at TIMESTAMP WITH TIME ZONE NOT NULL)",
                "INSERT INTO t SELECT X, TIMESTAMP WITH TIME ZONE '2024-01-01 00:00:00+00' FROM SYSTEM_RANGE(1, 50)");
        try (SftpServer sftp = SftpServer.start(Files.createDirectories(dir.resolve("sftp")), "the-real-password");
             TestEngine t = TestEngine.open(dir.resolve("ws"))) {
            t.vault.set("acme-sftp", planted, "sftp://127.0.0.1:" + sftp.port(), "test");
            ObjectNode contract = Contracts.base("t", db, "t", dir.resolve("unused"));
            Contracts.sftpDestination(contract, sftp, sftp.port(), "acme-sftp");
            t.importContract(contract.toString());
            RunResult failed = t.run("t");
            assertThat(failed.run().state()).isEqualTo(RunState.FAILED);
            String log = Files.readString(dir.resolve("ws/logs/runs/" + failed.run().id() + ".log"));
            assertThat(log).as("positive control: the failure is there").contains("authentication failed")
                    .contains("attempt 1 ended: FAILED");
        }
        List<Path> holding = new ArrayList<>();
        byte[] needle = planted.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(dir.resolve("ws/logs"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                if (indexOf(Files.readAllBytes(f), needle) >= 0) {
                    holding.add(f);
                }
            }
        }
        assertThat(holding).isEmpty();
    }

    @Test
    void pastItsLimitALogKeepsOnlyWarningsAndAttemptMarkersBehindOneTruncationMarker() throws Exception {
        Path file = dir.resolve("r.log");
        try (RunLogFile log = RunLogFile.open(file, 100, 60)) {
            log.write(line("start", 40), true);
            log.write(line("alpha", 40), false);
            log.write(line("bravo", 40), false); // over 100: left out, the marker written instead
            log.write(line("charlie", 40), false);
            log.write(line("warn", 40), true);
            log.write(line("end", 40), true); // past the 60 bytes kept after the marker: left out too
        }
        String text = Files.readString(file);
        String marker = String.format(RunLogFile.TRUNCATED, 100);
        assertThat(text).isEqualTo(lines("start", "alpha") + marker + lines("warn"));
        // a later attempt appends to a log already at its limit: only kept lines, no second marker
        try (RunLogFile log = RunLogFile.open(file, 100, 1000)) {
            log.write(line("delta", 40), false);
            log.write(line("again", 40), true);
        }
        assertThat(Files.readString(file)).isEqualTo(text + lines("again"));
    }

    private static String lines(String... words) {
        StringBuilder b = new StringBuilder();
        for (String w : words) {
            b.append(new String(line(w, 40), StandardCharsets.UTF_8));
        }
        return b.toString();
    }

    @Test
    void aLinkAtTheLogsNameIsNeverWrittenThrough() throws Exception {
        Path victim = Files.writeString(dir.resolve("victim"), "unchanged");
        Path link = Files.createSymbolicLink(dir.resolve("l.log"), victim);
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> RunLogFile.open(link, 100, 10)))
                .isInstanceOf(java.nio.file.FileSystemException.class);
        assertThat(Files.readString(victim)).isEqualTo("unchanged");
    }

    @Test
    void logsNotWrittenForLongerThanTheKeepPeriodArePruned() throws Exception {
        Path runs = Files.createDirectories(dir.resolve("runs"));
        Path old = Files.writeString(runs.resolve("00000000-0000-0000-0000-000000000001.log"), "old");
        Path recent = Files.writeString(runs.resolve("00000000-0000-0000-0000-000000000002.log"), "recent");
        Path other = Files.writeString(runs.resolve("notes.txt"), "not a log");
        Instant now = Instant.parse("2026-06-01T00:00:00Z");
        Files.setLastModifiedTime(old, FileTime.from(now.minus(RunLogs.KEEP).minus(Duration.ofDays(1))));
        Files.setLastModifiedTime(recent, FileTime.from(now.minus(RunLogs.KEEP).plus(Duration.ofDays(1))));
        Files.setLastModifiedTime(other, FileTime.from(now.minus(Duration.ofDays(1000))));
        assertThat(RunLogs.prune(runs, now)).isEqualTo(1);
        assertThat(old).doesNotExist();
        assertThat(recent).exists();
        assertThat(other).exists();
    }

    private static byte[] line(String word, int length) {
        return (word + ".".repeat(length - word.length() - 1) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
