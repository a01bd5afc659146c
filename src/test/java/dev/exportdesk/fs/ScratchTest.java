package dev.exportdesk.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.exportdesk.store.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plaintext scratch files: owner-only, named for their process, and what a process that no longer
 * runs left behind (a SIGKILL skips its own deletion) is removed when the workspace opens, while a
 * live process's files, foreign names and links are left exactly as they were.
 */
@Timeout(60)
class ScratchTest {
    @TempDir
    Path dir;

    @Test
    void aScratchFileIsNewOwnerOnlyAndNamedForThisProcess() throws Exception {
        Scratch scratch = new Scratch(dir.resolve("scratch"));
        SafeFiles.Temp temp = scratch.create("chunk");
        temp.channel().close();
        assertThat(temp.path().getFileName().toString())
                .matches(ProcessHandle.current().pid() + "-chunk-[0-9a-f]{16}\\.part");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(temp.path()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(scratch.dir()))).isEqualTo("rwx------");
        assertThatThrownBy(() -> scratch.create("../x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void openingTheWorkspaceRemovesOnlyWhatDeadProcessesLeft() throws Exception {
        Path ws = dir.resolve("ws");
        Path scratch = Files.createDirectories(ws.resolve("scratch"));
        Process gone = new ProcessBuilder("true").start();
        assertThat(gone.waitFor(10, TimeUnit.SECONDS)).isTrue();
        Process alive = new ProcessBuilder("sleep", "60").start();
        try {
            Path dead1 = Files.writeString(scratch.resolve(gone.pid() + "-chunk-0123456789abcdef.part"), "plain");
            Path dead2 = Files.writeString(scratch.resolve(gone.pid() + "-parquet-fedcba9876543210.part"), "plain");
            Path live = Files.writeString(scratch.resolve(alive.pid() + "-chunk-0123456789abcdef.part"), "in use");
            Path mine = Files.writeString(scratch.resolve(ProcessHandle.current().pid()
                    + "-verify-0123456789abcdef.part"), "in use");
            Path foreign = Files.writeString(scratch.resolve("notes.txt"), "someone's");
            Path outside = Files.writeString(dir.resolve("outside.txt"), "keep me");
            Path link = Files.createSymbolicLink(scratch.resolve(gone.pid() + "-chunk-aaaaaaaaaaaaaaaa.part"), outside);

            try (Workspace w = Workspace.open(ws, java.util.Map.of())) {
                assertThat(w.root()).isEqualTo(ws);
            }

            Set<Path> left;
            try (var files = Files.list(scratch)) {
                left = files.collect(Collectors.toSet());
            }
            assertThat(left).as("removed: the dead process's two files; kept: the rest")
                    .containsExactlyInAnyOrder(live, mine, foreign, link)
                    .doesNotContain(dead1, dead2);
            assertThat(Files.readString(outside)).isEqualTo("keep me");
            assertThat(Files.isSymbolicLink(link)).isTrue();
            assertThat(Files.readString(live)).isEqualTo("in use");
        } finally {
            alive.destroyForcibly();
        }
    }
}
