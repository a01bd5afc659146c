package dev.exportdesk.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.testing.ChildJvm;
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
 * Benchmark (not a test): the {@code orders} table of the OpenPGP benchmark exported as JSON Lines +
 * zstd and as Parquet (zstd pages) in the same run, the two alternating within each repeat. Child
 * JVMs with -Xmx256m, start included; medians of rows/s and the delivered bytes. DuckDB counts the
 * Parquet rows once, so a fast but wrong file cannot pass. Run with
 * {@code .ci/bench parquet [ROWS] [REPEATS] [ROW_GROUP_ROWS]}; see BENCHMARKS.md.
 */
public final class ParquetBenchmark {
    private ParquetBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000L;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int rowGroup = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        Path dir = Files.createTempDirectory("exportdesk-parquet-bench");
        SourceDb db = SourceDb.postgres();
        BenchFiles.loadOrders(db, rows);
        List<Double> jsonl = new ArrayList<>();
        List<Double> parquet = new ArrayList<>();
        long jsonlBytes = 0;
        long parquetBytes = 0;
        for (int i = 0; i < repeats; i++) {
            Path jsonlDrop = dir.resolve("jsonl-" + i);
            jsonl.add(export(db, dir.resolve("ws-jsonl-" + i), jsonlDrop, "jsonl", rowGroup));
            Path parquetDrop = dir.resolve("parquet-" + i);
            parquet.add(export(db, dir.resolve("ws-parquet-" + i), parquetDrop, "parquet", rowGroup));
            jsonlBytes = BenchFiles.bytes(BenchFiles.chunks(jsonlDrop));
            parquetBytes = BenchFiles.bytes(BenchFiles.chunks(parquetDrop));
            if (i == 0) {
                long read = duckDbRows(parquetDrop);
                if (read != rows) {
                    throw new IllegalStateException("DuckDB reads " + read + " rows, not " + rows);
                }
            }
            System.out.printf(Locale.ROOT, "repeat %d: JSON Lines + zstd %.2f s, Parquet %.2f s%n", i + 1,
                    jsonl.get(i), parquet.get(i));
        }
        double j = BenchFiles.median(jsonl);
        double p = BenchFiles.median(parquet);
        System.out.printf(Locale.ROOT, "%nrows: %,d   row groups of %,d rows%n", rows, rowGroup);
        System.out.printf(Locale.ROOT, "%-30s %10s %12s %12s%n", "", "seconds", "rows/s", "MB");
        System.out.printf(Locale.ROOT, "%-30s %10.2f %,12.0f %12.1f%n", "JSON Lines + zstd", j, rows / j,
                jsonlBytes / 1e6);
        System.out.printf(Locale.ROOT, "%-30s %10.2f %,12.0f %12.1f%n", "Parquet (zstd pages)", p, rows / p,
                parquetBytes / 1e6);
        System.out.printf(Locale.ROOT, "ratio (Parquet rows/s ÷ JSON Lines rows/s): %.2f; bytes: %.2f%n", j / p,
                (double) parquetBytes / jsonlBytes);
        System.out.printf("machine: %d cores, %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        System.exit(0);
    }

    private static double export(SourceDb db, Path ws, Path drop, String format, int rowGroup) throws Exception {
        ObjectNode contract = Contracts.base("bench", db, "orders", drop);
        contract.putArray("columns").add("id").add("customer_id").add("status").add("amount").add("note")
                .add("updated_at");
        contract.put("format", format).put("compression_level", 1);
        if (format.equals("parquet")) {
            contract.putObject("parquet").put("row_group_rows", rowGroup);
        }
        ((ObjectNode) contract.get("chunk")).put("max_rows", 500_000).put("max_bytes", 1L << 30);
        contract.put("fetch_size", 5000);
        try (TestEngine t = TestEngine.open(ws)) {
            t.importContract(contract.toString());
        }
        long t0 = System.nanoTime();
        Path log = ws.resolveSibling(ws.getFileName() + ".log");
        int code = ChildJvm.run(log, List.of("-Xmx256m"), 3600, "--workspace", ws.toString(), "run", "bench", "-q");
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (code != 0) {
            throw new IllegalStateException("export failed: " + Files.readString(log));
        }
        return seconds;
    }

    private static long duckDbRows(Path drop) throws Exception {
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement st = duck.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM read_parquet('" + drop + "/**/*.parquet')")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
