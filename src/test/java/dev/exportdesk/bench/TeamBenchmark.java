package dev.exportdesk.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.testing.ChildJvm;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.TeamWorkers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark (not a test) of team mode against solo mode on one PostgreSQL table: the cost of
 * fencing (a worker exporting through the shared PostgreSQL store, every write checking its lease,
 * against a CLI export into an embedded H2 store, each timed from its JVM's start to the run's end),
 * and the takeover time (from a SIGKILL of the worker holding a run until another worker has sealed
 * a chunk of it). Run with {@code .ci/bench team [ROWS] [REPEATS] [LEASE_TIMEOUT_SECONDS]}.
 */
public final class TeamBenchmark {
    private static final List<String> JVM = List.of("-Xmx256m");

    private TeamBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 2_000_000L;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int leaseSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        Path dir = Files.createTempDirectory("exportdesk-team-bench");
        SourceDb db = SourceDb.postgres();
        BenchFiles.loadOrders(db, rows);

        List<Double> solo = new ArrayList<>();
        List<Double> team = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            // alternate which mode goes first, so the machine's moods fall on both alike
            if (i % 2 == 0) {
                solo.add(solo(dir.resolve("solo-" + i), db, rows));
                team.add(team(dir.resolve("team-" + i), db, rows));
            } else {
                team.add(team(dir.resolve("team-" + i), db, rows));
                solo.add(solo(dir.resolve("solo-" + i), db, rows));
            }
            System.out.printf(Locale.ROOT, "repeat %d: solo %.2f s, team %.2f s%n", i + 1, solo.get(i), team.get(i));
        }
        double s = BenchFiles.median(solo);
        double t = BenchFiles.median(team);
        System.out.printf(Locale.ROOT, "%nrows: %,d%n", rows);
        System.out.printf(Locale.ROOT, "solo: CLI run, embedded H2 store (JVM start included)      %8.2f s %,12.0f rows/s%n",
                s, rows / s);
        System.out.printf(Locale.ROOT, "team: one worker, PostgreSQL store, fenced (JVM start incl.) %6.2f s %,12.0f rows/s%n",
                t, rows / t);
        System.out.printf(Locale.ROOT, "ratio (team rows/s ÷ solo rows/s): %.2f  (target ≥ 0.9)%n", s / t);

        List<Double> takeovers = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            double seconds = takeover(dir.resolve("takeover-" + i), db, leaseSeconds);
            takeovers.add(seconds);
            System.out.printf(Locale.ROOT, "takeover %d: %.2f s from SIGKILL to the next chunk sealed by another "
                    + "worker%n", i + 1, seconds);
        }
        System.out.printf(Locale.ROOT, "takeover (median): %.2f s; lease timeout %d s (target ≤ lease timeout + 5 s)%n",
                BenchFiles.median(takeovers), leaseSeconds);
        System.out.printf(Locale.ROOT, "machine: %d cores, %s %s, %s %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"), System.getProperty("java.version"), System.getProperty("os.name"),
                System.getProperty("os.arch"));
    }

    static ObjectNode contract(SourceDb db, Path drop, int chunkRows) {
        ObjectNode contract = Contracts.base("bench", db, "orders", drop);
        contract.putArray("columns").add("id").add("customer_id").add("status").add("amount").add("note")
                .add("updated_at");
        contract.put("compression_level", 1);
        ((ObjectNode) contract.get("chunk")).put("max_rows", chunkRows).put("max_bytes", 1L << 30);
        contract.put("fetch_size", 5000);
        return contract;
    }

    /** A CLI export into a fresh solo workspace: seconds from the JVM's start to its exit. */
    private static double solo(Path dir, SourceDb db, long rows) throws Exception {
        Files.createDirectories(dir);
        Path ws = dir.resolve("ws");
        Path file = dir.resolve("contract.json");
        Files.writeString(file, contract(db, dir.resolve("drop"), 500_000).toString());
        check(ChildJvm.run(dir.resolve("import.log"), JVM, 300, "--workspace", ws.toString(), "contract", "import",
                file.toString()), dir.resolve("import.log"));
        long t0 = System.nanoTime();
        check(ChildJvm.run(dir.resolve("run.log"), JVM, 3600, "--workspace", ws.toString(), "run", "bench", "-q"),
                dir.resolve("run.log"));
        return (System.nanoTime() - t0) / 1e9;
    }

    /** A requested run in a fresh team store: seconds from the worker JVM's start to the run's completion. */
    private static double team(Path dir, SourceDb db, long rows) throws Exception {
        Files.createDirectories(dir);
        try (TeamWorkers t = new TeamWorkers(dir)) {
            Path file = dir.resolve("contract.json");
            Files.writeString(file, contract(db, dir.resolve("drop"), 500_000).toString());
            check(t.cli("import.log", 300, "contract", "import", file.toString()), dir.resolve("import.log"));
            check(t.cli("request.log", 300, "request", "run", "bench"), dir.resolve("request.log"));
            long t0 = System.nanoTime();
            Process worker = ChildJvm.start(dir.resolve("worker.log"), JVM, t.env(), "--workspace",
                    t.workspace().toString(), "worker", "--name", "w1", "--poll-interval", "50ms");
            try {
                while (!"COMPLETED".equals(value(t, "SELECT state FROM runs"))) {
                    if (!worker.isAlive() || System.nanoTime() - t0 > TimeUnit.HOURS.toNanos(1)) {
                        throw new IllegalStateException("the worker did not complete the run: "
                                + Files.readString(dir.resolve("worker.log")));
                    }
                    Thread.sleep(20);
                }
                return (System.nanoTime() - t0) / 1e9;
            } finally {
                worker.destroy();
                worker.waitFor(60, TimeUnit.SECONDS);
            }
        }
    }

    /** Two workers; the one holding the run is SIGKILLed after two sealed chunks. */
    private static double takeover(Path dir, SourceDb db, int leaseSeconds) throws Exception {
        Files.createDirectories(dir);
        try (TeamWorkers t = new TeamWorkers(dir)) {
            Path file = dir.resolve("contract.json");
            Files.writeString(file, contract(db, dir.resolve("drop"), 20_000).toString());
            check(t.cli("import.log", 300, "contract", "import", file.toString()), dir.resolve("import.log"));
            check(t.cli("request.log", 300, "request", "run", "bench"), dir.resolve("request.log"));
            TeamWorkers.Worker a = t.start("a", leaseSeconds + "s");
            TeamWorkers.Worker b = t.start("b", leaseSeconds + "s");
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (sealed(t) < 2) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no two chunks sealed in time: " + a.output() + b.output());
                }
                Thread.sleep(10);
            }
            String holder = value(t, "SELECT holder FROM run_leases");
            TeamWorkers.Worker victim = "a".equals(holder) ? a : b;
            long before = sealed(t);
            victim.signal("KILL");
            long t0 = System.nanoTime();
            while (sealed(t) <= before) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no chunk sealed after the kill: " + a.output() + b.output());
                }
                Thread.sleep(10);
            }
            return (System.nanoTime() - t0) / 1e9;
        }
    }

    static long sealed(TeamWorkers t) throws Exception {
        return Long.parseLong(value(t, "SELECT count(*) FROM chunks WHERE sha256 IS NOT NULL"));
    }

    static String value(TeamWorkers t, String sql) throws Exception {
        try (Connection c = t.store(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    static void check(int code, Path log) throws Exception {
        if (code != 0) {
            throw new IllegalStateException("exit " + code + ": " + Files.readString(log));
        }
    }
}
