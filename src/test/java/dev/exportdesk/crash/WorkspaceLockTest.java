package dev.exportdesk.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.exportdesk.store.Workspace;
import dev.exportdesk.store.WorkspaceInUseException;
import dev.exportdesk.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A second process on the same workspace gets a clear refusal naming the holder, never a corrupt store. */
class WorkspaceLockTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aSecondProcessIsRefusedWithTheHoldersPid() throws Exception {
        try (Workspace held = Workspace.open(dir)) {
            Path log = dir.resolve("child.log");
            int code = ChildJvm.run(log, List.of(), 60, "--workspace", dir.toString(), "status");
            assertThat(code).isEqualTo(4);
            assertThat(Files.readString(log))
                    .contains("workspace in use by PID " + ProcessHandle.current().pid());
        }
        // released: the next process opens it and finds the store intact
        int code = ChildJvm.run(dir.resolve("after.log"), List.of(), 60, "--workspace", dir.toString(), "status");
        assertThat(code).as(Files.readString(dir.resolve("after.log"))).isZero();
    }

    @Test
    void aSecondOpenInTheSameProcessIsRefusedToo() {
        try (Workspace held = Workspace.open(dir)) {
            assertThatThrownBy(() -> Workspace.open(dir)).isInstanceOf(WorkspaceInUseException.class)
                    .hasMessageContaining("workspace in use by PID");
        }
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aKilledHolderLeavesNoStaleLock() throws Exception {
        Process holder = ChildJvm.start(dir.resolve("holder.log"), List.of(), "--workspace", dir.toString(), "demo",
                "--orders", "200000");
        // wait until the child holds the workspace, then SIGKILL it mid-work
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(dir.resolve("state").resolve("exportdesk.mv.db")) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        holder.destroyForcibly().waitFor();
        try (Workspace reopened = Workspace.open(dir)) {
            assertThat(reopened.store().healthy()).isTrue();
        }
    }
}
