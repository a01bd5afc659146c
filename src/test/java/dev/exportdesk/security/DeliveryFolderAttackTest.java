package dev.exportdesk.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.exportdesk.store.AckState;
import dev.exportdesk.store.RunState;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.TestEngine;
import dev.exportdesk.testing.VictimFile;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The partner can write the drop folder, so what it plants there is hostile to the sender (issue
 * 11, item 4): a link at a temporary's predictable name, at a delivered file's name or where a run
 * folder belongs is never written through, a FIFO does not hang a run, and the victim file on the
 * sender's host is unchanged. The workspace is owner-only even under umask 000.
 */
class DeliveryFolderAttackTest {
    private static final String C = "items";
    private static final String SECRET = "sender-host private: never overwrite\n";
    private static final List<String> RUN_FILES = List.of("chunk-000001.jsonl.zst", "checkpoint.txt",
            "ledger-proofs.json", "SHA256SUMS", "manifest.json");

    @TempDir
    Path dir;
    private SourceDb db;
    private Path run1;

    @BeforeEach
    void source() throws Exception {
        db = SourceDb.h2(dir);
        db.exec("CREATE TABLE items (id BIGINT PRIMARY KEY, name VARCHAR(200), updated_at TIMESTAMP WITH TIME ZONE NOT NULL)",
                "INSERT INTO items SELECT X, 'item ' || X, TIMESTAMP WITH TIME ZONE '2024-03-01 12:00:00+00' "
                        + "FROM SYSTEM_RANGE(1, 200)");
        run1 = dir.resolve("drop").resolve(C).resolve("run-000001");
    }

    private dev.exportdesk.engine.runs.RunResult export() {
        try (TestEngine t = TestEngine.open(dir.resolve("ws"))) {
            t.importContract(Contracts.base(C, db, "items", dir.resolve("drop")).toString());
            return t.run(C);
        }
    }

    @Test
    void linksAtTheSendersTemporaryNamesAreNotWrittenThrough() throws Exception {
        VictimFile victim = VictimFile.create(dir, SECRET);
        Files.createDirectories(run1);
        for (String f : RUN_FILES) {
            // the names temporaries had before issue 11: predictable, so a partner could plant them
            Files.createSymbolicLink(run1.resolve("." + f + ".exportdesk-tmp"), victim.path());
        }
        var result = export();
        assertThat(result.completed()).as(String.valueOf(result.run().error())).isTrue();
        victim.assertUntouched();
        for (String f : RUN_FILES) {
            assertThat(Files.isRegularFile(run1.resolve(f), LinkOption.NOFOLLOW_LINKS)).as(f).isTrue();
            assertThat(Files.readString(run1.resolve(f), java.nio.charset.StandardCharsets.ISO_8859_1))
                    .doesNotContain(SECRET.trim());
        }
        for (String f : RUN_FILES) {
            assertThat(Files.isSymbolicLink(run1.resolve("." + f + ".exportdesk-tmp"))).as("not ours: left, never followed")
                    .isTrue();
        }
        for (var e : dev.exportdesk.chunk.Sha256Sums.read(Files.readAllBytes(run1.resolve("SHA256SUMS"))).entrySet()) {
            assertThat(dev.exportdesk.chunk.Hashing.digest(run1.resolve(e.getKey())).sha256()).as(e.getKey())
                    .isEqualTo(e.getValue());
        }
    }

    @Test
    void aLinkWhereTheRunFolderBelongsIsNotFollowed() throws Exception {
        Path elsewhere = Files.createDirectories(dir.resolve("sender-private"));
        Files.createDirectories(run1.getParent());
        Files.createSymbolicLink(run1, elsewhere);
        var result = export();
        assertThat(result.run().state()).isEqualTo(RunState.FAILED);
        assertThat(result.run().error()).contains("run-000001", "symbolic link");
        try (Stream<Path> s = Files.list(elsewhere)) {
            assertThat(s.toList()).as("nothing written through the link").isEmpty();
        }
    }

    @Test
    void aLinkAtADeliveredFilesNameIsNeitherReadNorReplaced() throws Exception {
        VictimFile victim = VictimFile.create(dir, SECRET);
        Files.createDirectories(run1);
        Files.createSymbolicLink(run1.resolve("chunk-000001.jsonl.zst"), victim.path());
        var result = export();
        assertThat(result.run().state()).isEqualTo(RunState.FAILED);
        assertThat(result.run().error()).contains("chunk-000001.jsonl.zst", "symbolic link");
        victim.assertUntouched();
        assertThat(Files.isSymbolicLink(run1.resolve("chunk-000001.jsonl.zst"))).isTrue();
    }

    @Test
    void aFifoAtADeliveredFilesNameFailsTheRunInsteadOfHangingIt() throws Exception {
        Files.createDirectories(run1);
        Process mk = new ProcessBuilder("mkfifo", run1.resolve("SHA256SUMS").toString()).inheritIO().start();
        assertThat(mk.waitFor()).isZero();
        var result = assertTimeoutPreemptively(Duration.ofSeconds(60), this::export);
        assertThat(result.run().state()).isEqualTo(RunState.FAILED);
        assertThat(result.run().error()).contains("SHA256SUMS", "FIFO");
    }

    /** A receipt the sender reads must be a regular file itself: a link or a FIFO at its name is not opened. */
    @Test
    void aReceiptPlantedAsALinkOrFifoIsNotReadBySender() throws Exception {
        VictimFile victim = VictimFile.create(dir, SECRET);
        var contract = Contracts.base(C, db, "items", dir.resolve("drop"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) contract.get("destination")).put("ack_deadline", "1h");
        try (TestEngine t = TestEngine.open(dir.resolve("ws"))) {
            t.importContract(contract.toString());
            var run = t.run(C);
            assertThat(run.completed()).isTrue();
            Path ack = run1.resolve("manifest.json.ack");
            Files.createSymbolicLink(ack, victim.path());
            var linked = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> t.acks.poll(run.run().id()));
            assertThat(linked.state()).as(linked.detail()).isEqualTo(AckState.WAITING);
            assertThat(linked.detail()).isEqualTo("no receipt yet");
            Files.delete(ack);
            Process mk = new ProcessBuilder("mkfifo", ack.toString()).inheritIO().start();
            assertThat(mk.waitFor()).isZero();
            var fifo = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> t.acks.poll(run.run().id()));
            assertThat(fifo.state()).isEqualTo(AckState.WAITING);
        }
        victim.assertUntouched();
    }

    /** A CLI run in a child JVM started with umask 000: every folder it leaves is 0700, every file 0600. */
    @Test
    void theWorkspaceIsOwnerOnlyUnderUmask000() throws Exception {
        Path ws = dir.resolve("ws");
        Path contract = dir.resolve("contract.json");
        Files.writeString(contract, Contracts.base(C, db, "items", dir.resolve("drop")).toString());
        assertThat(cliUnderUmask000(ws, "contract", "import", contract.toString())).isZero();
        assertThat(cliUnderUmask000(ws, "run", C, "-q")).isZero();
        assertThat(cliUnderUmask000(ws, "status")).isZero();

        List<String> open = new ArrayList<>();
        try (Stream<Path> s = Files.walk(ws)) {
            for (Path p : s.toList()) {
                if (Files.isSymbolicLink(p)) {
                    continue;
                }
                String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
                String want = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "rwx------" : "rw-------";
                if (!mode.equals(want)) {
                    open.add(ws.relativize(p) + " " + mode);
                }
            }
        }
        assertThat(open).as("workspace entries open to others").isEmpty();
        assertThat(ws.resolve("state")).isDirectory();
        try (Stream<Path> s = Files.walk(ws)) {
            assertThat(s.filter(Files::isRegularFile).count()).as("the test saw the store, logs and keys").isGreaterThan(3);
        }
    }

    /** Only ExportDesk's own folders are tightened: a workspace pointed at a folder with other content keeps it as it was. */
    @Test
    void foldersExportDeskDoesNotOwnKeepTheirModes() throws Exception {
        Path ws = dir.resolve("ws");
        Path script = Files.createDirectories(ws.resolve("tools")).resolve("load.sh");
        Files.writeString(script, "#!/bin/sh\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(ws.resolve("logs"));
        Path log = Files.writeString(ws.resolve("logs/old.log"), "x");
        Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("rw-rw-rw-"));
        dev.exportdesk.store.Workspace.open(ws).close();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(script))).isEqualTo("rwxr-xr-x");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ws))).isEqualTo("rwx------");
    }

    private int cliUnderUmask000(Path ws, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", "umask 000 && exec \"$@\"", "sh",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "dev.exportdesk.app.Main",
                "--workspace", ws.toString()));
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile(dir, "cli", ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new IllegalStateException("CLI did not finish: " + List.of(args));
        }
        assertThat(p.exitValue()).as(Files.readString(log)).isZero();
        return p.exitValue();
    }
}
