package dev.exportdesk.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.PostgresCluster;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark (not a test): export an N-row PostgreSQL table to zstd JSON Lines with a 256 MB heap,
 * beside {@code psql COPY (… ORDER BY cursor, key) | zstd -1 | sha256sum} on the same table in the
 * same run. Alternates baseline and ExportDesk runs and reports the median of each.
 * Run with {@code .ci/bench export [ROWS] [REPEATS]}; see BENCHMARKS.md.
 *
 * <p>With {@code BENCH_BEFORE_CLASSES} naming another build's {@code target/classes} (a clone of an
 * earlier commit), each repeat also exports with those classes in place of this build's, the two
 * alternating which goes first, so a change is measured against its "before" in one session on the
 * same table; their chunk files must be byte for byte the same. {@code BENCH_B_JVM_OPTS} does the same
 * with this build launched with other JVM options (as {@code .ci/bench h2} does).
 */
public final class ExportBenchmark {
    private ExportBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 5_000_000L;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        // "recent": every row changed inside the lookback window, as in a steady-state incremental
        // run; each repeat then runs a second time, which re-scans all of them through the lookback
        boolean recent = args.length > 2 && args[2].equals("recent");
        // "csv": CSV + gzip level 1, beside psql COPY … CSV | gzip -1 | sha256sum
        boolean csv = args.length > 2 && args[2].equals("csv");
        Path dir = Files.createTempDirectory("exportdesk-bench");
        if (INSTALLED) {
            InstalledCli.trainArchive();
        }
        PostgresCluster pg = PostgresCluster.shared();
        SourceDb db = SourceDb.postgres();
        String dbName = db.jdbcUrl().substring(db.jdbcUrl().lastIndexOf('/') + 1);
        System.out.printf("loading %,d rows…%n", rows);
        db.exec("CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id BIGINT NOT NULL, status VARCHAR(20) NOT NULL, "
                        + "amount NUMERIC(12,2) NOT NULL, note VARCHAR(200), "
                        + "updated_at TIMESTAMP WITH TIME ZONE NOT NULL)",
                "INSERT INTO orders SELECT g, g % 100000, (ARRAY['new','paid','shipped','delivered'])[1 + g % 4], "
                        + "(g % 100000) / 100.0, CASE WHEN g % 3 = 0 THEN NULL ELSE 'note ' || md5(g::text) END, "
                        + (recent ? "now() - INTERVAL '30 minutes' + (g / 100) * (INTERVAL '25 minutes' / "
                                + Math.max(1, rows / 100) + ") "
                                : "TIMESTAMP WITH TIME ZONE '2024-01-01 00:00:00+00' + (g / 100) * INTERVAL '1 second' ")
                        + "FROM generate_series(1, " + rows + ") g",
                "CREATE INDEX orders_cursor ON orders (updated_at, id)",
                "VACUUM ANALYZE orders");
        String select = "SELECT id, customer_id, status, amount, note, updated_at FROM orders ORDER BY updated_at, id";
        String baseline = pg.binDirectory().resolve("psql") + " -X -q -h 127.0.0.1 -p " + pg.port() + " -U postgres -d "
                + dbName + " -c \"COPY (" + select + ") TO STDOUT" + (csv ? " WITH (FORMAT csv, HEADER)\" | gzip -1 -c"
                : "\" | zstd -1 -q -c") + " | sha256sum";

        List<Double> baseSeconds = new ArrayList<>();
        List<Double> oursSeconds = new ArrayList<>();
        String beforeClasses = System.getenv("BENCH_BEFORE_CLASSES");
        List<String> optionsB = optionsB(beforeClasses);
        // the second export of each repeat: another build's classes, or this build with options B
        String other = beforeClasses != null ? "before (" + beforeClasses + ")"
                : optionsB.isEmpty() ? null : "exportdesk with " + String.join(" ", optionsB);
        String side = beforeClasses != null ? "before" : "options B";
        List<Double> beforeSeconds = new ArrayList<>();
        List<Double> rescanSeconds = new ArrayList<>();
        List<Long> storeAfterRun = new ArrayList<>();
        List<String> peakHeap = new ArrayList<>();
        List<Long> storeAfterRescan = new ArrayList<>();
        long copyBytes = copyBytes(pg, dbName, select);
        long outBytes = 0;
        CpuSampler cpu = new CpuSampler();
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            try (CpuSampler.Watch w = cpu.watch("baseline")) {
                Process p = new ProcessBuilder("bash", "-o", "pipefail", "-c", baseline).redirectErrorStream(true)
                        .start();
                String out = new String(p.getInputStream().readAllBytes()).trim();
                if (p.waitFor() != 0) {
                    throw new IllegalStateException("baseline failed: " + out);
                }
            }
            baseSeconds.add((System.nanoTime() - t0) / 1e9);

            boolean beforeFirst = other != null && i % 2 == 0;
            if (beforeFirst) {
                try (CpuSampler.Watch w = cpu.watch(side)) {
                    beforeSeconds.add(export(db, dir, "before-" + i, csv, recent, beforeClasses, optionsB));
                }
            }
            double seconds;
            try (CpuSampler.Watch w = cpu.watch("exportdesk")) {
                seconds = export(db, dir, "run-" + i, csv, recent, null, List.of());
            }
            if (other != null && !beforeFirst) {
                try (CpuSampler.Watch w = cpu.watch(side)) {
                    beforeSeconds.add(export(db, dir, "before-" + i, csv, recent, beforeClasses, optionsB));
                }
            }
            if (other != null) {
                sameChunks(dir.resolve("drop-before-" + i), dir.resolve("drop-run-" + i));
            }
            Path ws = dir.resolve("ws-run-" + i);
            Path drop = dir.resolve("drop-run-" + i);
            oursSeconds.add(seconds);
            peakHeap.add(heapMb("run-" + i));
            storeAfterRun.add(storeBytes(ws));
            if (recent) {
                long t2 = System.nanoTime();
                int code;
                try (CpuSampler.Watch w = cpu.watch("lookback re-scan")) {
                    code = cli(dir.resolve("rescan-" + i + ".log"), "rescan-" + i,
                            "--workspace", ws.toString(), "run", "bench", "-q");
                }
                if (code != 0) {
                    throw new IllegalStateException("re-scan failed: " + Files.readString(dir.resolve("rescan-" + i + ".log")));
                }
                rescanSeconds.add((System.nanoTime() - t2) / 1e9);
                storeAfterRescan.add(storeBytes(ws));
            }
            try (var files = Files.walk(drop)) {
                outBytes = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
            }
            System.out.printf(Locale.ROOT, "repeat %d: baseline %.2f s, %sexportdesk %.2f s%s, state store %.1f MB%n",
                    i + 1, baseSeconds.get(i), other == null ? ""
                            : String.format(Locale.ROOT, "%s %.2f s, ", side, beforeSeconds.get(i)), seconds,
                    recent ? String.format(Locale.ROOT, ", lookback re-scan %.2f s", rescanSeconds.get(i)) : "",
                    storeAfterRun.get(i) / 1e6);
        }
        double base = median(baseSeconds);
        double ours = median(oursSeconds);
        System.out.printf(Locale.ROOT, "%nrows: %,d   (COPY text: %.1f MB, exportdesk delivered: %.1f MB compressed)%n", rows,
                copyBytes / 1e6, outBytes / 1e6);
        System.out.printf(Locale.ROOT, "%-44s %10s %12s %10s%n", "", "seconds", "rows/s", "MB/s");
        String baselineName = csv ? "baseline: psql COPY CSV | gzip -1 | sha256sum"
                : "baseline: psql COPY | zstd -1 | sha256sum";
        System.out.printf(Locale.ROOT, "%-44s %10.2f %,12.0f %10.1f%n", baselineName, base, rows / base,
                copyBytes / 1e6 / base);
        System.out.printf(Locale.ROOT, "%-44s %10.2f %,12.0f %10.1f%n", INSTALLED
                        ? "exportdesk (jar + archive, incl. start)" : "exportdesk run (JVM -Xmx256m, incl. start)",
                ours, rows / ours, copyBytes / 1e6 / ours);
        System.out.printf(Locale.ROOT, "ratio (exportdesk rows/s ÷ baseline rows/s): %.2f%n", base / ours);
        if (other != null) {
            double before = median(beforeSeconds);
            System.out.printf(Locale.ROOT, "%-44s %10.2f %,12.0f %10.1f%n", other, before, rows / before,
                    copyBytes / 1e6 / before);
            System.out.printf(Locale.ROOT, "ratio %s (its rows/s ÷ baseline rows/s): %.2f; exportdesk ÷ %s: %.2f%n",
                    side, base / before, side, before / ours);
            System.out.printf(Locale.ROOT, "repeats: baseline %s, %s %s, exportdesk %s%n", baseSeconds, side,
                    beforeSeconds, oursSeconds);
        }
        System.out.printf(Locale.ROOT, "state store after the run: %.1f MB (median)%n", median(storeAfterRun) / 1e6);
        System.out.printf(Locale.ROOT, "heap of the export's JVM, most before / after a collection (GC log, -Xmx256m): "
                + "%s MB%n", peakHeap);
        if (recent) {
            double rescan = median(rescanSeconds);
            System.out.printf(Locale.ROOT, "%-44s %10.2f %,12.0f%n", "lookback re-scan of the rows just shipped",
                    rescan, rows / rescan);
            System.out.printf(Locale.ROOT, "ratio (re-scan rows/s ÷ forward export rows/s): %.2f%n", ours / rescan);
            System.out.printf(Locale.ROOT, "state store after the re-scan: %.1f MB (median)%n",
                    median(storeAfterRescan) / 1e6);
        }
        cpu.print();
        System.out.printf("machine: %d cores, %s, %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        System.exit(0);
    }

    /**
     * One export by the CLI in a child JVM into a fresh workspace {@code ws-NAME} and folder
     * {@code drop-NAME}: its seconds, JVM start included. {@code classes}: another build's classes
     * in place of this one's (null: this build); {@code options}: JVM options added to the child's.
     */
    private static double export(SourceDb db, Path dir, String name, boolean csv, boolean recent, String classes,
                                 List<String> options) throws Exception {
        Path ws = dir.resolve("ws-" + name);
        Path drop = dir.resolve("drop-" + name);
        ObjectNode contract = Contracts.base("bench", db, "orders", drop);
        contract.putArray("columns").add("id").add("customer_id").add("status").add("amount").add("note")
                .add("updated_at");
        contract.put("compression_level", 1);
        if (csv) {
            contract.put("format", "csv").put("compression", "gzip");
        }
        ((ObjectNode) contract.get("chunk")).put("max_rows", 500_000).put("max_bytes", 1L << 30);
        contract.put("fetch_size", 5000);
        if (recent) {
            ((ObjectNode) contract.get("late_data")).put("safety_lag", "5s").put("lookback", "2h");
        }
        try (TestEngine t = TestEngine.open(ws)) {
            t.importContract(contract.toString());
        }
        Path log = dir.resolve(name + ".log");
        long t1 = System.nanoTime();
        // with a "before" build, both sides start the same way, each with its classes named explicitly
        List<String> jvm = childJvm(name);
        jvm.addAll(options);
        int code = classes == null && System.getenv("BENCH_BEFORE_CLASSES") == null
                ? InstalledCli.run(INSTALLED, log, jvm, "--workspace", ws.toString(), "run", "bench", "-q")
                : runWith(classes == null ? Path.of("target", "classes").toAbsolutePath().toString() : classes, log,
                        jvm, "--workspace", ws.toString(), "run", "bench", "-q");
        double seconds = (System.nanoTime() - t1) / 1e9;
        if (code != 0) {
            throw new IllegalStateException("export failed: " + Files.readString(log));
        }
        if (classes != null || !options.isEmpty()) {
            heapMb(name); // removes its GC log
        }
        return seconds;
    }

    private static final boolean INSTALLED = InstalledCli.wanted() && System.getenv("BENCH_BEFORE_CLASSES") == null;

    /** BENCH_B_JVM_OPTS, split on spaces; none with BENCH_BEFORE_CLASSES, which compares builds instead. */
    private static List<String> optionsB(String beforeClasses) {
        List<String> options = BenchFiles.jvmOptions("BENCH_B_JVM_OPTS", "");
        if (!options.isEmpty() && beforeClasses != null) {
            throw new IllegalArgumentException("BENCH_B_JVM_OPTS and BENCH_BEFORE_CLASSES each name the second export:"
                    + " set one");
        }
        return options;
    }

    /** One CLI command in a child JVM, launched as BENCH_LAUNCH says. */
    private static int cli(Path log, String name, String... args) throws Exception {
        return InstalledCli.run(INSTALLED, log, childJvm(name), args);
    }

    /** The CLI in a child JVM whose classpath has {@code classes} in place of this build's target/classes. */
    private static int runWith(String classes, Path log, List<String> jvm, String... args) throws Exception {
        String own = Path.of("target", "classes").toAbsolutePath().toString();
        String cp = java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .map(e -> Path.of(e).toAbsolutePath().toString().equals(own) ? classes : e)
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvm);
        cmd.addAll(List.of("-cp", cp, "dev.exportdesk.app.Main"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(3600, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new IllegalStateException("child JVM did not finish within an hour");
        }
        return p.exitValue();
    }

    /** A faster build that delivers other bytes is not faster: the chunk files must be identical. */
    private static void sameChunks(Path before, Path after) throws Exception {
        List<Path> a = BenchFiles.chunks(before);
        List<Path> b = BenchFiles.chunks(after);
        if (a.size() != b.size() || a.isEmpty()) {
            throw new IllegalStateException("before and after delivered " + a.size() + " and " + b.size() + " chunks");
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).getFileName().equals(b.get(i).getFileName()) || Files.mismatch(a.get(i), b.get(i)) != -1) {
                throw new IllegalStateException("chunk files differ: " + a.get(i) + " and " + b.get(i));
            }
        }
    }

    /**
     * -Xmx256m and BENCH_CHILD_JVM_OPTS, e.g. a JFR recording for profiling, where {run} becomes
     * the child's name: {@code -XX:StartFlightRecording=filename=/tmp/{run}.jfr,settings=profile}.
     */
    private static List<String> childJvm(String name) {
        List<String> jvm = new ArrayList<>(List.of("-Xmx256m", "-Xlog:gc:file=" + gcLog(name)));
        jvm.addAll(BenchFiles.jvmOptions("BENCH_CHILD_JVM_OPTS", name));
        return jvm;
    }

    private static Path gcLog(String run) {
        return Path.of(System.getProperty("java.io.tmpdir"), "exportdesk-bench-gc-" + ProcessHandle.current().pid()
                + "-" + run + ".log");
    }

    /**
     * From the child's GC log ({@code … Pause Young (Normal) (G1 Evacuation Pause) 150M->20M(256M) …}):
     * the most heap in use before a collection (G1 lets this fill whatever -Xmx allows) and the
     * most still in use after one (what the export really holds: the figure that must stay flat).
     */
    private static String heapMb(String run) throws java.io.IOException {
        java.util.regex.Pattern pause = java.util.regex.Pattern.compile(" (\\d+)M->(\\d+)M\\(\\d+M\\)");
        long before = 0;
        long after = 0;
        Path log = gcLog(run);
        for (String line : Files.readAllLines(log)) {
            java.util.regex.Matcher m = pause.matcher(line);
            if (m.find()) {
                before = Math.max(before, Long.parseLong(m.group(1)));
                after = Math.max(after, Long.parseLong(m.group(2)));
            }
        }
        Files.deleteIfExists(log);
        return before + "/" + after;
    }

    private static long copyBytes(PostgresCluster pg, String dbName, String select) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", pg.binDirectory().resolve("psql") + " -X -q -h 127.0.0.1 -p "
                + pg.port() + " -U postgres -d " + dbName + " -c \"COPY (" + select + ") TO STDOUT\" | wc -c")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        p.waitFor();
        return Long.parseLong(out);
    }

    private static <T extends Number & Comparable<T>> double median(List<T> values) {
        List<T> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2).doubleValue();
    }

    private static long storeBytes(Path ws) throws java.io.IOException {
        try (var files = Files.list(ws.resolve("state"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".mv.db")).mapToLong(f -> f.toFile().length())
                    .sum();
        }
    }

}
