package dev.exportdesk.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One {@code exportdesk worker} child JVM on a team workspace, for tests that need a run executed
 * in team mode (only workers execute runs there). Closing sends SIGTERM (the worker parks and exits)
 * and kills it if it has not gone within a minute.
 */
public final class WorkerProcess implements AutoCloseable {
    private final Process process;
    private final Path log;

    private WorkerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static WorkerProcess start(Path workspace, Map<String, String> env, Path log, String name)
            throws IOException {
        Process p = ChildJvm.start(log, List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"), env, "--workspace",
                workspace.toString(), "worker", "--name", name, "--poll-interval", "150ms");
        return new WorkerProcess(p, log);
    }

    public String output() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
