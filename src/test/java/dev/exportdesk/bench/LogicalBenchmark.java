package dev.exportdesk.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.engine.runs.RunResult;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.testing.ChildJvm;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.PostgresCluster;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark (not a test) of log-based capture (issue 15): changes per second from a replication
 * slot to sealed, delivered chunks — a stream run of a logical contract with a folder destination,
 * {@code exportdesk run} in a child JVM (-Xmx256m, start included) — against {@code pg_recvlogical}
 * reading the same WAL range of the same publication (pgoutput, proto_version 1) from a slot of its
 * own to /dev/null. Every repeat's two slots are created before the changes are written, so each
 * reader starts at the same position and decodes the same transactions; the two alternate which goes
 * first, and medians are reported. Run with {@code .ci/bench logical [CHANGES] [REPEATS]}; extra
 * JVM options for the engine's child JVM (e.g. JFR) go in the system property {@code bench.jvm}.
 */
public final class LogicalBenchmark {
    /** Changes per transaction: half updates, 30% inserts, 20% deletes (see {@link #CHURN}). */
    static final int PER_TRANSACTION = 100;
    private static final long INITIAL_ROWS = 100_000;
    /**
     * Each transaction deletes the oldest rows, inserts new ones after the highest key and updates a
     * window of live rows that walks through the table; keys (del, ins] are always all present.
     */
    private static final String CHURN = """
            CREATE PROCEDURE churn(txs int) LANGUAGE plpgsql AS $$
            DECLARE
              ins bigint := (SELECT max(id) FROM orders);
              del bigint := (SELECT min(id) FROM orders) - 1;
              u bigint;
            BEGIN
              FOR k IN 0 .. txs - 1 LOOP
                u := del + 20 + 1 + ((k::bigint * 50) % (ins - del - 20 - 50));
                UPDATE orders SET status = (ARRAY['paid','shipped','delivered'])[1 + k % 3], amount = amount + 1,
                  updated_at = clock_timestamp() WHERE id BETWEEN u AND u + 49;
                INSERT INTO orders SELECT g, g % 100000, 'new', (g % 100000) / 100.0, 'note ' || md5(g::text),
                  clock_timestamp() FROM generate_series(ins + 1, ins + 30) g;
                ins := ins + 30;
                DELETE FROM orders WHERE id BETWEEN del + 1 AND del + 20;
                del := del + 20;
                COMMIT;
              END LOOP;
            END $$""";

    private LogicalBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long changes = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000L;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int transactions = (int) Math.max(1, changes / PER_TRANSACTION);
        changes = (long) transactions * PER_TRANSACTION;
        Path dir = Files.createTempDirectory("exportdesk-logical-bench");
        SourceDb db = SourceDb.logical();
        PostgresCluster cluster = PostgresCluster.logical();
        prepare(db);
        List<Path> workspaces = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            // both slots of every repeat exist before the first change, so each reader decodes all of them
            workspaces.add(copy(db, dir.resolve("ws-" + i), dir.resolve("drop-" + i), "bench_" + i));
            db.exec("SELECT pg_create_logical_replication_slot('recv_" + i + "', 'pgoutput')");
        }
        String start = flushed(db);
        System.out.printf(Locale.ROOT, "writing %,d changes in %,d transactions of %d…%n", changes, transactions,
                PER_TRANSACTION);
        long w0 = System.nanoTime();
        db.exec("CALL churn(" + transactions + ")");
        double writing = (System.nanoTime() - w0) / 1e9;
        String end = flushed(db);
        long walBytes = Long.parseLong(query(db, "SELECT pg_wal_lsn_diff('" + end + "', '" + start + "')::bigint"));
        System.out.printf(Locale.ROOT, "written in %.1f s (%,.0f changes/s); WAL %s to %s, %.1f MB%n", writing,
                changes / writing, start, end, walBytes / 1e6);

        List<Double> engineWall = new ArrayList<>();
        List<Double> engineRun = new ArrayList<>();
        List<Double> recv = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            boolean engineFirst = i % 2 == 0;
            for (int turn = 0; turn < 2; turn++) {
                if ((turn == 0) == engineFirst) {
                    double[] s = stream(db, workspaces.get(i), changes);
                    engineWall.add(s[0]);
                    engineRun.add(s[1]);
                    System.out.printf(Locale.ROOT, "repeat %d: stream run %.2f s (the run itself %.2f s) (load %s)%n",
                            i + 1, s[0], s[1], load());
                } else {
                    double s = recvlogical(cluster, db, "recv_" + i, end, dir.resolve("recv-" + i + ".log"));
                    recv.add(s);
                    System.out.printf(Locale.ROOT, "repeat %d: pg_recvlogical %.2f s (load %s)%n", i + 1, s, load());
                }
            }
        }
        double wall = BenchFiles.median(engineWall);
        double own = BenchFiles.median(engineRun);
        double base = BenchFiles.median(recv);
        System.out.printf(Locale.ROOT, "%nchanges: %,d (50%% updates, 30%% inserts, 20%% deletes) in transactions of "
                + "%d, REPLICA IDENTITY FULL; WAL %.1f MB%n", changes, PER_TRANSACTION, walBytes / 1e6);
        System.out.printf(Locale.ROOT, "%-56s %9s %12s %7s%n", "", "seconds", "changes/s", "ratio");
        System.out.printf(Locale.ROOT, "%-56s %9.2f %,12.0f %7s%n", "pg_recvlogical to /dev/null (pgoutput v1)", base,
                changes / base, "1.00");
        System.out.printf(Locale.ROOT, "%-56s %9.2f %,12.0f %7.2f%n", "stream run, child JVM (start included)", wall,
                changes / wall, base / wall);
        System.out.printf(Locale.ROOT, "%-56s %9.2f %,12.0f %7.2f%n", "stream run, planned to completed (store)", own,
                changes / own, base / own);
        System.out.printf(Locale.ROOT, "ratio (stream run changes/s ÷ pg_recvlogical changes/s): %.2f%n", base / wall);
        System.out.printf(Locale.ROOT, "machine: %d cores, %s %s; load %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"), System.getProperty("java.version"), load());
        delete(dir);
        System.exit(0);
    }

    /** Workspaces, drops and logs: hundreds of MB at the default size, nothing to keep once printed. */
    static void delete(Path dir) throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }

    static void prepare(SourceDb db) throws Exception {
        System.out.printf(Locale.ROOT, "loading %,d rows…%n", INITIAL_ROWS);
        db.exec("CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id BIGINT NOT NULL, status VARCHAR(20) NOT NULL, "
                        + "amount NUMERIC(12,2) NOT NULL, note VARCHAR(200), "
                        + "updated_at TIMESTAMP WITH TIME ZONE NOT NULL)",
                "ALTER TABLE orders REPLICA IDENTITY FULL",
                "CREATE PUBLICATION orders_pub FOR TABLE orders",
                "INSERT INTO orders SELECT g, g % 100000, (ARRAY['new','paid','shipped','delivered'])[1 + g % 4], "
                        + "(g % 100000) / 100.0, CASE WHEN g % 3 = 0 THEN NULL ELSE 'note ' || md5(g::text) END, "
                        + "TIMESTAMP WITH TIME ZONE '2024-01-01 00:00:00+00' + g * INTERVAL '1 second' "
                        + "FROM generate_series(1, " + INITIAL_ROWS + ") g",
                "VACUUM ANALYZE orders", CHURN);
    }

    static ObjectNode contract(SourceDb db, Path drop, String slot) {
        ObjectNode contract = Contracts.base("bench", db, "orders", drop);
        contract.put("compression_level", 1);
        ((ObjectNode) contract.get("chunk")).put("max_rows", 200_000).put("max_bytes", 1L << 30);
        Contracts.logical(contract, "orders_pub", slot);
        return contract;
    }

    /** The contract's first run: the table copy, which creates its slot. Not timed. */
    private static Path copy(SourceDb db, Path ws, Path drop, String slot) {
        try (TestEngine t = TestEngine.open(ws)) {
            t.importContract(contract(db, drop, slot).toString());
            RunResult r = t.run("bench");
            if (!r.completed()) {
                throw new IllegalStateException("the table copy did not complete: " + r.run().error());
            }
        }
        return ws;
    }

    /** The stream run: seconds from JVM start to exit, and from the run's planning to its completion. */
    private static double[] stream(SourceDb db, Path ws, long changes) throws Exception {
        List<String> jvm = new ArrayList<>(List.of("-Xmx256m"));
        String extra = System.getProperty("bench.jvm", "").trim();
        if (!extra.isEmpty()) {
            jvm.addAll(Arrays.asList(extra.split("\\s+")));
        }
        Path log = ws.resolveSibling(ws.getFileName() + ".log");
        long t0;
        try (CpuWatch cpu = new CpuWatch(db)) {
            t0 = System.nanoTime();
            Process p = cpu.watch(ChildJvm.start(log, jvm, "--workspace", ws.toString(), "run", "bench", "-q"));
            if (!p.waitFor(1, TimeUnit.HOURS)) {
                p.destroyForcibly().waitFor();
                throw new IllegalStateException("the stream run did not end within an hour");
            }
            cpu.close();
            System.out.printf(Locale.ROOT, "  CPU: run's JVM %.2f s, walsender %.2f s%n", cpu.process(), cpu.walsenders());
            if (p.exitValue() != 0) {
                throw new IllegalStateException("the stream run failed: " + Files.readString(log));
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        try (TestEngine t = TestEngine.open(ws)) {
            List<RunRecord> runs = t.ctx.store().inTransaction(c -> t.ctx.store().runs().completedInOrder(c, "bench"));
            RunRecord run = runs.get(runs.size() - 1);
            if (run.rowCount() != changes) {
                throw new IllegalStateException("the stream run shipped " + run.rowCount() + " changes, not " + changes);
            }
            return new double[] {seconds, (run.finishedAt().toEpochMilli() - run.plannedAt().toEpochMilli()) / 1e3};
        }
    }

    private static double recvlogical(PostgresCluster cluster, SourceDb db, String slot, String end, Path log)
            throws Exception {
        String database = db.jdbcUrl().substring(db.jdbcUrl().lastIndexOf('/') + 1);
        List<String> cmd = List.of(cluster.binDirectory().resolve("pg_recvlogical").toString(), "-h", "127.0.0.1",
                "-p", Integer.toString(cluster.port()), "-U", "postgres", "-d", database, "-S", slot, "--start",
                "-o", "proto_version=1", "-o", "publication_names=orders_pub", "-E", end, "--no-loop",
                "-f", "/dev/null");
        long t0;
        Process p;
        try (CpuWatch cpu = new CpuWatch(db)) {
            t0 = System.nanoTime();
            p = cpu.watch(new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start());
            if (!p.waitFor(1, TimeUnit.HOURS)) {
                p.destroyForcibly().waitFor();
                throw new IllegalStateException("pg_recvlogical did not stop at " + end);
            }
            cpu.close();
            System.out.printf(Locale.ROOT, "  CPU: pg_recvlogical %.2f s, walsender %.2f s%n", cpu.process(),
                    cpu.walsenders());
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (p.exitValue() != 0) {
            throw new IllegalStateException("pg_recvlogical failed: " + Files.readString(log));
        }
        String confirmed = query(db, "SELECT pg_wal_lsn_diff(confirmed_flush_lsn, '" + end
                + "') >= 0 FROM pg_replication_slots WHERE slot_name = '" + slot + "'");
        if (!"t".equals(confirmed)) {
            throw new IllegalStateException("pg_recvlogical stopped before " + end + ": " + Files.readString(log));
        }
        return seconds;
    }

    /**
     * The CPU seconds a reader process and the walsenders serving it used, from /proc every 100 ms
     * (the last reading of each: what a process used in its last 100 ms is missed), so a result can
     * say whether the server's decoding or the reader was the limit.
     */
    static final class CpuWatch implements AutoCloseable {
        private final Map<Long, Double> readings = new ConcurrentHashMap<>();
        private volatile long process = -1;
        private final Set<Long> before;
        private final Connection admin;
        private final Thread thread;
        private volatile boolean running = true;

        /** Call before the reader starts, so that the walsender serving it is not taken for an older one. */
        CpuWatch(SourceDb db) throws Exception {
            this.admin = db.connect();
            this.before = walsenderPids();
            this.thread = new Thread(() -> {
                while (running) {
                    try {
                        if (process > 0) {
                            read(process);
                        }
                        for (long pid : walsenderPids()) {
                            if (!before.contains(pid)) {
                                read(pid);
                            }
                        }
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        // the process ended between the listing and the read: its last reading stays
                    }
                }
            }, "cpu-watch");
            thread.setDaemon(true);
            thread.start();
        }

        private Set<Long> walsenderPids() throws Exception {
            Set<Long> pids = new HashSet<>();
            try (Statement st = admin.createStatement();
                 ResultSet rs = st.executeQuery("SELECT pid FROM pg_stat_activity WHERE backend_type = 'walsender'")) {
                while (rs.next()) {
                    pids.add(rs.getLong(1));
                }
            }
            return pids;
        }

        private void read(long pid) throws Exception {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            readings.put(pid, (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0); // utime, stime in ticks
        }

        Process watch(Process p) {
            process = p.pid();
            return p;
        }

        double process() {
            return readings.getOrDefault(process, 0.0);
        }

        double walsenders() {
            return readings.entrySet().stream().filter(e -> e.getKey() != process).mapToDouble(Map.Entry::getValue)
                    .sum();
        }

        @Override
        public void close() throws Exception {
            if (running) {
                running = false;
                thread.interrupt();
                thread.join();
                admin.close();
            }
        }
    }

    static String flushed(SourceDb db) throws Exception {
        return query(db, "SELECT pg_current_wal_flush_lsn()::text");
    }

    static String query(SourceDb db, String sql) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    static String load() throws java.io.IOException {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }
}
