package dev.exportdesk.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.testing.ChildJvm;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.TeamWorkers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark (not a test) of a parallel backfill (issue 13, item 4): the first export of one
 * PostgreSQL table, split into key ranges, by 1, 2 and 3 workers in a fresh team store each time,
 * timed from the workers' JVM start to the run's completion; the worker counts alternate their order
 * from repeat to repeat. Run with {@code .ci/bench backfill [ROWS] [REPEATS] [RANGES]}.
 */
public final class BackfillBenchmark {
    private static final List<String> JVM = List.of("-Xmx256m");

    private BackfillBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 5_000_000L;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int ranges = args.length > 2 ? Integer.parseInt(args[2]) : 12;
        Path dir = Files.createTempDirectory("exportdesk-backfill-bench");
        SourceDb db = SourceDb.postgres();
        BenchFiles.loadOrders(db, rows);
        Map<Integer, List<Double>> seconds = new HashMap<>();
        int[][] orders = {{1, 2, 3}, {3, 2, 1}, {2, 3, 1}};
        for (int i = 0; i < repeats; i++) {
            for (int workers : orders[i % orders.length]) {
                double s = backfill(dir.resolve("r" + i + "-w" + workers), db, rows, ranges, workers);
                seconds.computeIfAbsent(workers, k -> new ArrayList<>()).add(s);
                System.out.printf(Locale.ROOT, "repeat %d, %d worker(s): %.2f s (load %s)%n", i + 1, workers, s,
                        load());
            }
        }
        double one = BenchFiles.median(seconds.get(1));
        System.out.printf(Locale.ROOT, "%nrows: %,d in %d key ranges, chunks of 500,000 rows at most%n", rows, ranges);
        for (int workers = 1; workers <= 3; workers++) {
            double s = BenchFiles.median(seconds.get(workers));
            System.out.printf(Locale.ROOT, "%d worker(s): %8.2f s %,12.0f rows/s  speed-up %.2f×%n", workers, s,
                    rows / s, one / s);
        }
        System.out.printf(Locale.ROOT, "machine: %d cores, %s %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"), System.getProperty("java.version"));
    }

    private static double backfill(Path dir, SourceDb db, long rows, int ranges, int workers) throws Exception {
        Files.createDirectories(dir);
        try (TeamWorkers t = new TeamWorkers(dir)) {
            Path file = dir.resolve("contract.json");
            ObjectNode contract = TeamBenchmark.contract(db, dir.resolve("drop"), 500_000);
            contract.putObject("backfill").put("max_workers", 3).put("segment_rows", Math.max(1000, rows / ranges));
            Files.writeString(file, contract.toString());
            TeamBenchmark.check(t.cli("import.log", 300, "contract", "import", file.toString()), dir.resolve("import.log"));
            TeamBenchmark.check(t.cli("request.log", 300, "request", "run", "bench"), dir.resolve("request.log"));
            long t0 = System.nanoTime();
            List<Process> started = new ArrayList<>();
            for (int w = 1; w <= workers; w++) {
                started.add(ChildJvm.start(dir.resolve("worker-" + w + ".log"), JVM, t.env(), "--workspace",
                        t.workspace().toString(), "worker", "--name", "w" + w, "--poll-interval", "50ms"));
            }
            try {
                while (!"COMPLETED".equals(TeamBenchmark.value(t, "SELECT state FROM runs"))) {
                    if (started.stream().noneMatch(Process::isAlive)
                            || System.nanoTime() - t0 > TimeUnit.HOURS.toNanos(1)) {
                        throw new IllegalStateException("the workers did not complete the run: "
                                + Files.readString(dir.resolve("worker-1.log")));
                    }
                    Thread.sleep(20);
                }
                double s = (System.nanoTime() - t0) / 1e9;
                String split = TeamBenchmark.value(t, "SELECT count(*) FROM run_segments");
                String holders = TeamBenchmark.value(t, "SELECT count(DISTINCT holder) FROM segment_claims");
                System.out.printf(Locale.ROOT, "  %s key ranges, captured by %s worker(s)%n", split, holders);
                return s;
            } finally {
                for (Process p : started) {
                    p.destroy();
                }
                for (Process p : started) {
                    p.waitFor(60, TimeUnit.SECONDS);
                }
            }
        }
    }

    private static String load() throws java.io.IOException {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }
}
