package dev.exportdesk.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark (not a test): export an N-row H2 table (the export benchmark's columns) with the CLI,
 * beside a bare JDBC loop in its own JVM that reads the same rows in the same order and only
 * touches each value. Both JVMs have -Xmx256m and count their start. Medians of alternating
 * repeats. Run with {@code .ci/bench h2 [ROWS] [REPEATS]}; BENCH_LAUNCH=installed runs the
 * packaged jar with its class-data archive, as {@code .ci/bench export} does. BENCH_B_JVM_OPTS adds
 * a second export to every repeat with those JVM options (the two take turns going first) and prints
 * its median beside the first: an A/B of a launch option in one sitting, on this noisy machine.
 */
public final class H2SourceBenchmark {
    static final String SELECT = "SELECT id, customer_id, status, amount, note, updated_at FROM orders "
            + "ORDER BY updated_at, id";

    private H2SourceBenchmark() {
    }

    /** The baseline: reads every value of every row and prints the count and a checksum of them. */
    public static final class BareLoop {
        public static void main(String[] args) throws Exception {
            long rows = 0;
            long touched = 0;
            try (Connection c = DriverManager.getConnection(args[0], SourceDb.H2_READER, "");
                 Statement st = c.createStatement()) {
                st.execute("SET LAZY_QUERY_EXECUTION TRUE"); // streams, as the engine's sessions do
                st.setFetchSize(5000);
                try (ResultSet rs = st.executeQuery(SELECT)) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= n; i++) {
                            Object v = rs.getObject(i);
                            touched += v == null ? 0 : v.hashCode();
                        }
                        rows++;
                    }
                }
            }
            System.out.println(rows + " rows " + touched);
        }
    }

    /**
     * One export of the table into a fresh workspace named {@code name}, the CLI in its own JVM with
     * -Xmx256m, BENCH_CHILD_JVM_OPTS ({run} becomes the name) and {@code options}; its seconds.
     */
    private static double export(Path dir, SourceDb db, String name, List<String> options, CpuSampler cpu,
                                 String step) throws Exception {
        Path ws = dir.resolve("ws-" + name);
        ObjectNode contract = Contracts.base("bench", db, "orders", dir.resolve("drop-" + name));
        contract.putArray("columns").add("id").add("customer_id").add("status").add("amount").add("note")
                .add("updated_at");
        contract.put("compression_level", 1);
        ((ObjectNode) contract.get("chunk")).put("max_rows", 500_000).put("max_bytes", 1L << 30);
        contract.put("fetch_size", 5000);
        try (TestEngine t = TestEngine.open(ws)) {
            t.importContract(contract.toString());
        }
        long t1 = System.nanoTime();
        List<String> jvm = new ArrayList<>(List.of("-Xmx256m"));
        jvm.addAll(BenchFiles.jvmOptions("BENCH_CHILD_JVM_OPTS", "h2-" + name));
        jvm.addAll(options);
        int code;
        Path log = dir.resolve(name + ".log");
        try (CpuSampler.Watch w = cpu.watch(step)) {
            code = InstalledCli.run(InstalledCli.wanted(), log, jvm, "--workspace", ws.toString(), "run", "bench",
                    "-q");
        }
        double seconds = (System.nanoTime() - t1) / 1e9;
        if (code != 0) {
            throw new IllegalStateException("export failed: " + Files.readString(log));
        }
        return seconds;
    }

    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 5_000_000L;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path dir = Files.createTempDirectory("exportdesk-h2-bench");
        if (InstalledCli.wanted()) {
            InstalledCli.trainArchive();
        }
        SourceDb db = SourceDb.h2(dir.resolve("src"));
        System.out.printf("loading %,d rows…%n", rows);
        db.exec("CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id BIGINT NOT NULL, status VARCHAR(20) NOT NULL, "
                        + "amount NUMERIC(12,2) NOT NULL, note VARCHAR(200), "
                        + "updated_at TIMESTAMP WITH TIME ZONE NOT NULL)",
                "INSERT INTO orders SELECT X, MOD(X, 100000), ARRAY['new','paid','shipped','delivered'][1 + MOD(X, 4)], "
                        + "MOD(X, 100000) / 100.0, CASE WHEN MOD(X, 3) = 0 THEN NULL ELSE 'note ' || RAWTOHEX(HASH('MD5', "
                        + "CAST(X AS VARCHAR))) END, TIMESTAMP WITH TIME ZONE '2024-01-01 00:00:00+00' + "
                        + "(X / 100) * INTERVAL '1' SECOND FROM SYSTEM_RANGE(1, " + rows + ")",
                "CREATE INDEX orders_cursor ON orders (updated_at, id)");
        List<Double> base = new ArrayList<>();
        List<Double> ours = new ArrayList<>();
        List<Double> oursB = new ArrayList<>();
        List<String> optionsB = BenchFiles.jvmOptions("BENCH_B_JVM_OPTS", "");
        CpuSampler cpu = new CpuSampler();
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            Path out = dir.resolve("bare-" + i + ".log");
            int code;
            try (CpuSampler.Watch w = cpu.watch("bare JDBC loop")) {
                code = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m", "-cp", System.getProperty("java.class.path"), BareLoop.class.getName(),
                        db.jdbcUrl()).redirectErrorStream(true).redirectOutput(out.toFile()).start().waitFor();
            }
            base.add((System.nanoTime() - t0) / 1e9);
            if (code != 0 || !Files.readString(out).contains(rows + " rows")) {
                throw new IllegalStateException("bare loop failed: " + Files.readString(out));
            }
            // with options B, the two exports of a repeat take turns going first
            if (!optionsB.isEmpty() && i % 2 == 1) {
                oursB.add(export(dir, db, "b-" + i, optionsB, cpu, "exportdesk, options B"));
            }
            ours.add(export(dir, db, "run-" + i, List.of(), cpu, "exportdesk"));
            if (!optionsB.isEmpty() && i % 2 == 0) {
                oursB.add(export(dir, db, "b-" + i, optionsB, cpu, "exportdesk, options B"));
            }
            System.out.printf(Locale.ROOT, "repeat %d: bare JDBC loop %.2f s, exportdesk %.2f s%n", i + 1, base.get(i),
                    ours.get(i));
        }
        double b = BenchFiles.median(base);
        double o = BenchFiles.median(ours);
        System.out.printf(Locale.ROOT, "%nrows: %,d (H2 source)%n", rows);
        System.out.printf(Locale.ROOT, "%-44s %10.2f %,12.0f%n", "baseline: bare JDBC loop (JVM -Xmx256m)", b, rows / b);
        System.out.printf(Locale.ROOT, "%-44s %10.2f %,12.0f%n", InstalledCli.wanted()
                ? "exportdesk (jar + archive, incl. start)" : "exportdesk run (JVM -Xmx256m, incl. start)", o, rows / o);
        System.out.printf(Locale.ROOT, "ratio (exportdesk rows/s ÷ baseline rows/s): %.2f%n", b / o);
        if (!optionsB.isEmpty()) {
            double ob = BenchFiles.median(oursB);
            System.out.printf(Locale.ROOT, "%-44s %10.2f %,12.0f%n", "exportdesk with " + String.join(" ", optionsB),
                    ob, rows / ob);
            System.out.printf(Locale.ROOT, "options B ÷ without (time; below 1 is faster): %.2f; repeats %s%n", ob / o,
                    oursB);
        }
        cpu.print();
        System.exit(0);
    }
}
