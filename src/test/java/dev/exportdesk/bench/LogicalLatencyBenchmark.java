package dev.exportdesk.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdInputStream;
import dev.exportdesk.engine.runs.RunResult;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.TestEngine;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Benchmark (not a test) of log-based capture's latency (issue 15): a writer commits a steady
 * RATE changes/s (inserts, transactions of 10 rows every 10 ms at 1,000/s) for SECONDS while a logical contract
 * runs every INTERVAL seconds in this JVM (as a schedule would start them; a run that overruns is
 * followed at once by the next), and a watcher sees each chunk file appear in the folder
 * destination. Latency is from a transaction's COMMIT returning to the writer to the first sight
 * of the delivered file holding its rows. Runs are discrete, so a change waits for the next run's
 * bound: expect about INTERVAL/2 + a run's duration at the median. Run with
 * {@code .ci/bench logical-latency [SECONDS] [INTERVAL_S] [RATE]}.
 */
public final class LogicalLatencyBenchmark {
    private static final int ROWS_PER_TRANSACTION = 10;
    private static final long FIRST_ID = 100_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private LogicalLatencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int interval = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        long periodMicros = 1_000_000L * ROWS_PER_TRANSACTION / rate;
        Path dir = Files.createTempDirectory("exportdesk-logical-latency");
        Path drop = dir.resolve("drop");
        SourceDb db = SourceDb.logical();
        LogicalBenchmark.prepare(db);
        Map<Long, Long> committed = new ConcurrentHashMap<>();
        Map<Long, Long> delivered = new ConcurrentHashMap<>();
        AtomicLong transactions = new AtomicLong();
        List<Double> runSeconds = new ArrayList<>();
        long writing;
        double wrote;
        try (TestEngine t = TestEngine.open(dir.resolve("ws"))) {
            t.importContract(LogicalBenchmark.contract(db, drop, "latency").toString());
            check(t.run("bench"));
            ScheduledExecutorService threads = Executors.newScheduledThreadPool(2);
            writing = System.nanoTime();
            Connection writer = db.connect();
            writer.setAutoCommit(false);
            PreparedStatement insert = writer.prepareStatement("INSERT INTO orders SELECT g, g % 100000, 'new', "
                    + "(g % 100000) / 100.0, 'note ' || md5(g::text), clock_timestamp() FROM generate_series(?, ?) g");
            threads.scheduleAtFixedRate(() -> {
                long tx = transactions.getAndIncrement();
                long first = FIRST_ID + tx * ROWS_PER_TRANSACTION;
                try {
                    insert.setLong(1, first);
                    insert.setLong(2, first + ROWS_PER_TRANSACTION - 1);
                    insert.executeUpdate();
                    writer.commit();
                    committed.put(tx, System.nanoTime());
                } catch (Exception e) {
                    System.err.println("writer: " + e);
                }
            }, 0, periodMicros, TimeUnit.MICROSECONDS);
            Set<Path> seen = new HashSet<>();
            threads.scheduleWithFixedDelay(() -> watch(drop, seen, delivered), 0, 20, TimeUnit.MILLISECONDS);
            System.out.printf(Locale.ROOT, "writing %,d changes/s for %d s, a run every %d s…%n", rate, seconds,
                    interval);
            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(seconds);
            long next = start;
            while (next < end) {
                sleepUntil(next);
                long r0 = System.nanoTime();
                check(t.run("bench"));
                runSeconds.add((System.nanoTime() - r0) / 1e9);
                next += TimeUnit.SECONDS.toNanos(interval);
                while (next < System.nanoTime()) {
                    next += TimeUnit.SECONDS.toNanos(interval); // overran: the schedule's next slot
                }
            }
            sleepUntil(end); // the writer writes for the whole SECONDS, not up to the last run's end
            threads.shutdown();
            threads.awaitTermination(30, TimeUnit.SECONDS);
            wrote = (System.nanoTime() - writing) / 1e9;
            writer.close();
            check(t.run("bench")); // carries what the last timed run's bound left behind; not counted below
            watch(drop, seen, delivered);
        }
        // transactions committed in the first interval waited for no full cycle: leave them out, and the last
        List<Long> latencies = new ArrayList<>();
        long warmup = interval * 1000L / (periodMicros / 1000);
        long timedEnd = transactions.get() - warmup;
        for (long tx = warmup; tx < timedEnd; tx++) {
            Long c = committed.get(tx);
            Long d = delivered.get(tx);
            if (c != null && d != null) {
                latencies.add((d - c) / 1_000_000L);
            } else if (c != null) {
                System.out.printf("transaction %d committed but never seen delivered%n", tx);
            }
        }
        latencies.sort(Long::compare);
        double p50 = latencies.get(latencies.size() / 2) / 1e3;
        double p95 = latencies.get((int) (latencies.size() * 0.95)) / 1e3;
        double max = latencies.get(latencies.size() - 1) / 1e3;
        runSeconds.sort(Double::compare);
        System.out.printf(Locale.ROOT, "%ntransactions: %,d of %d changes, %,.0f changes/s achieved (%,d measured); "
                + "runs: %d, median %.2f s, longest %.2f s%n", transactions.get(), ROWS_PER_TRANSACTION,
                transactions.get() * ROWS_PER_TRANSACTION / wrote, latencies.size(), runSeconds.size(),
                BenchFiles.median(runSeconds), runSeconds.get(runSeconds.size() - 1));
        System.out.printf(Locale.ROOT, "COMMIT to delivered file: p50 %.2f s, p95 %.2f s, max %.2f s%n", p50, p95, max);
        System.out.printf(Locale.ROOT, "p95 minus the run interval (%d s): %.2f s (issue 15's target: under 1 s)%n",
                interval, p95 - interval);
        System.out.printf(Locale.ROOT, "machine: %d cores, %s %s; load %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"), System.getProperty("java.version"), LogicalBenchmark.load());
        LogicalBenchmark.delete(dir);
        System.exit(0);
    }

    /** Reads each chunk file once, when it first appears: delivered files arrive whole (temporary, then moved). */
    private static void watch(Path drop, Set<Path> seen, Map<Long, Long> delivered) {
        if (!Files.isDirectory(drop)) {
            return;
        }
        try (Stream<Path> files = Files.walk(drop)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("chunk-")).toList()) {
                if (!seen.add(f)) {
                    continue;
                }
                long at = System.nanoTime();
                try (BufferedReader in = new BufferedReader(new InputStreamReader(
                        new ZstdInputStream(Files.newInputStream(f)), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        JsonNode id = JSON.readTree(line).get("id");
                        if (id != null && id.asLong() >= FIRST_ID) {
                            delivered.putIfAbsent((id.asLong() - FIRST_ID) / ROWS_PER_TRANSACTION, at);
                        }
                    }
                }
            }
        } catch (Exception e) {
            System.err.println("watcher: " + e);
        }
    }

    private static void check(RunResult r) {
        if (!r.completed()) {
            throw new IllegalStateException("run did not complete: " + r.run().error());
        }
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        long left = nanos - System.nanoTime();
        if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }
}
