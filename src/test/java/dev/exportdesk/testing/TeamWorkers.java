package dev.exportdesk.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Team-mode tests: one workspace pointing at a fresh PostgreSQL state store, and {@code exportdesk
 * worker} processes on it as child JVMs that a test can SIGKILL, SIGSTOP, SIGCONT and SIGTERM.
 */
public final class TeamWorkers implements AutoCloseable {
    private static final List<String> CHILD_JVM = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-Xshare:auto");
    /** The test cluster trusts loopback connections; the store still wants a password to be given. */
    private static final String PASSWORD = "unused-by-trust-auth";
    private final Path dir;
    private final Path workspace;
    private final String storeUrl;
    private final List<Worker> started = new ArrayList<>();

    /** A started worker: its process and its output (the claims, releases and losses it reports). */
    public record Worker(String name, Process process, Path log) {
        public String output() throws IOException {
            return Files.readString(log);
        }

        public void signal(String signal) throws IOException, InterruptedException {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
            }
        }
    }

    /** A fresh team store, initialised for a workspace under {@code dir} ({@code exportdesk store init}). */
    public TeamWorkers(Path dir) throws IOException, InterruptedException {
        this.dir = dir;
        this.workspace = dir.resolve("ws");
        this.storeUrl = PostgresCluster.shared().createDatabase("team");
        Process init = ChildJvm.start(dir.resolve("store-init.log"), CHILD_JVM, Map.of("EXPORTDESK_STORE_PASSWORD",
                PASSWORD), "--workspace", workspace.toString(), "store", "init", storeUrl, "--user", "postgres");
        if (!init.waitFor(120, TimeUnit.SECONDS) || init.exitValue() != 0) {
            init.destroyForcibly();
            throw new IllegalStateException("store init failed: " + Files.readString(dir.resolve("store-init.log")));
        }
    }

    /**
     * The team tests' source: {@code items (id, version, payload, updated_at)} with {@code rows} rows
     * stamped from two hours ago on, 50 to a second (older than any lookback, so every run ships them).
     */
    public static void seedItems(SourceDb db, int rows) throws SQLException {
        db.exec("CREATE TABLE items (id BIGINT PRIMARY KEY, version INT NOT NULL, payload VARCHAR(200) NOT NULL, "
                + "updated_at TIMESTAMP WITH TIME ZONE NOT NULL)");
        java.time.OffsetDateTime base = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).minusHours(2).withNano(0);
        try (Connection c = db.connect(); java.sql.PreparedStatement st = c.prepareStatement(
                "INSERT INTO items (id, version, payload, updated_at) VALUES (?, 1, ?, ?)")) {
            for (long id = 1; id <= rows; id++) {
                st.setLong(1, id);
                st.setString(2, "payload-" + id);
                st.setObject(3, base.plusSeconds(id / 50));
                st.addBatch();
            }
            st.executeBatch();
        }
    }

    public Path workspace() {
        return workspace;
    }

    /** The environment that points a workspace at the team store. */
    public Map<String, String> env() {
        return Map.of("EXPORTDESK_STORE_URL", storeUrl, "EXPORTDESK_STORE_USER", "postgres",
                "EXPORTDESK_STORE_PASSWORD", PASSWORD);
    }

    /** A connection to the team store, for reading what the workers recorded. */
    public Connection store() throws SQLException {
        return DriverManager.getConnection(storeUrl, "postgres", "");
    }

    /** Runs one CLI command on the team workspace; returns its exit code (output in {@code log}). */
    public int cli(String log, long timeoutSeconds, String... args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("--workspace", workspace.toString()));
        all.addAll(List.of(args));
        Process p = ChildJvm.start(dir.resolve(log), CHILD_JVM, env(), all.toArray(String[]::new));
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new IllegalStateException("exportdesk " + List.of(args) + " did not finish within " + timeoutSeconds
                    + " s");
        }
        return p.exitValue();
    }

    public String log(String name) throws IOException {
        return Files.readString(dir.resolve(name));
    }

    /** Starts {@code exportdesk worker --name NAME} with the given lease timeout, a short poll and {@code options}. */
    public Worker start(String name, String leaseTimeout, String... options) throws IOException {
        Path log = dir.resolve("worker-" + name + ".log");
        List<String> args = new java.util.ArrayList<>(List.of("--workspace", workspace.toString(), "worker", "--name",
                name, "--lease-timeout", leaseTimeout, "--poll-interval", "150ms"));
        args.addAll(List.of(options));
        Process p = ChildJvm.start(log, CHILD_JVM, env(), args.toArray(String[]::new));
        Worker w = new Worker(name, p, log);
        started.add(w);
        return w;
    }

    /**
     * As {@link #start}, on a workspace folder of its own ({@code DIR/host-NAME}), as a worker on
     * another machine: same store and master key, its own staging. Returns the worker; its folder
     * is {@link #hostFolder}.
     */
    public Worker startOnOwnHost(String name, String leaseTimeout, String... options) throws IOException {
        Path log = dir.resolve("worker-" + name + ".log");
        Map<String, String> env = new HashMap<>(env());
        env.put("EXPORTDESK_KEY_FILE", workspace.resolve("secrets/master.key").toString());
        List<String> args = new java.util.ArrayList<>(List.of("--workspace", hostFolder(name).toString(), "worker",
                "--name", name, "--lease-timeout", leaseTimeout, "--poll-interval", "150ms"));
        args.addAll(List.of(options));
        Process p = ChildJvm.start(log, CHILD_JVM, env, args.toArray(String[]::new));
        Worker w = new Worker(name, p, log);
        started.add(w);
        return w;
    }

    /** The workspace folder of a worker started with {@link #startOnOwnHost}. */
    public Path hostFolder(String name) {
        return dir.resolve("host-" + name);
    }

    /** Waits until the worker's output contains {@code text}; false after {@code seconds}. */
    public static boolean await(Worker w, String text, long seconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (Files.exists(w.log()) && w.output().contains(text)) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    /** Every worker still alive gets SIGCONT then SIGKILL: nothing outlives the test. */
    @Override
    public void close() throws InterruptedException {
        for (Worker w : started) {
            if (w.process().isAlive()) {
                try {
                    w.signal("CONT");
                } catch (IOException | RuntimeException ignored) {
                    // it is killed below either way
                }
                w.process().destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}
