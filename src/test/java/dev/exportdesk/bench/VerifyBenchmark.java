package dev.exportdesk.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.engine.runs.RunResult;
import dev.exportdesk.engine.verification.ReconcileService;
import dev.exportdesk.engine.verification.VerifyService;
import dev.exportdesk.source.ColumnInfo;
import dev.exportdesk.source.CursorCodec;
import dev.exportdesk.source.SchemaInspector;
import dev.exportdesk.source.SourceSchema;
import dev.exportdesk.source.SqlChunkDigests;
import dev.exportdesk.store.ChunkRecord;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Benchmark (not a test): source-level verification (`verify --deep`) of an N-row PostgreSQL table
 * exported as zstd JSON Lines, beside a plain {@code SELECT count(*), sum(…)} digest query over the
 * same table and beside a full re-export, in the same run. Run with {@code .ci/bench verify [ROWS]};
 * see BENCHMARKS.md.
 */
public final class VerifyBenchmark {
    private static final int ROUNDS = 3;

    private VerifyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 5_000_000L;
        Path dir = Files.createTempDirectory("exportdesk-verify-bench");
        SourceDb db = SourceDb.postgres();
        System.out.printf("loading %,d rows…%n", rows);
        db.exec("CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id BIGINT NOT NULL, status VARCHAR(20) NOT NULL, "
                        + "amount NUMERIC(12,2) NOT NULL, note VARCHAR(200), "
                        + "updated_at TIMESTAMP WITH TIME ZONE NOT NULL)",
                "INSERT INTO orders SELECT g, g % 100000, (ARRAY['new','paid','shipped','delivered'])[1 + g % 4], "
                        + "(g % 100000) / 100.0, CASE WHEN g % 3 = 0 THEN NULL ELSE 'note ' || md5(g::text) END, "
                        + "TIMESTAMP WITH TIME ZONE '2024-01-01 00:00:00+00' + (g / 100) * INTERVAL '1 second' "
                        + "FROM generate_series(1, " + rows + ") g",
                "CREATE INDEX orders_cursor ON orders (updated_at, id)",
                "VACUUM ANALYZE orders");
        ObjectNode contract = Contracts.base("bench", db, "orders", dir.resolve("drop"));
        contract.putArray("columns").add("id").add("customer_id").add("status").add("amount").add("note")
                .add("updated_at");
        contract.put("compression_level", 1);
        ((ObjectNode) contract.get("chunk")).put("max_rows", 500_000).put("max_bytes", 1L << 30);
        contract.put("fetch_size", 5000);
        try (TestEngine t = TestEngine.open(dir.resolve("ws"))) {
            t.importContract(contract.toString());
            long t0 = System.nanoTime();
            RunResult run = t.run("bench");
            double export = (System.nanoTime() - t0) / 1e9;
            if (!run.completed()) {
                throw new IllegalStateException("export failed: " + run.run().error());
            }

            // alternating rounds (plain query, delivery-level verify, deep verify, the SQL digests alone), so
            // the machine's changing load falls on every measure alike; medians and each round's own ratio
            double[] plain = new double[ROUNDS];
            double[] delivery = new double[ROUNDS];
            double[] deep = new double[ROUNDS];
            double[] source = new double[ROUNDS];
            double[] onePass = new double[ROUNDS];
            List<ChunkRecord> chunks = t.workspace.store().inTransaction(c -> t.workspace.store().chunks()
                    .forRun(c, run.run().id()));
            String counted = "";
            for (int round = 0; round < ROUNDS; round++) {
                long t1 = System.nanoTime();
                try (Connection c = db.connect(); Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT count(*), sum(('x' || substr(md5(o::text), 1, 16))::bit(64)"
                             + "::bigint::numeric) FROM orders o")) {
                    rs.next();
                    counted = rs.getLong(1) + " rows";
                }
                plain[round] = (System.nanoTime() - t1) / 1e9;

                long t2 = System.nanoTime();
                boolean deliveryOk = t.verify.verify("bench", false).stream().allMatch(VerifyService.DeepOutcome::ok);
                delivery[round] = (System.nanoTime() - t2) / 1e9;

                long t3 = System.nanoTime();
                boolean deepOk = t.verify.verify("bench", true).stream().allMatch(VerifyService.DeepOutcome::ok);
                deep[round] = (System.nanoTime() - t3) / 1e9;
                source[round] = deep[round] - delivery[round];
                if (!deliveryOk || !deepOk) {
                    throw new IllegalStateException("verification did not pass");
                }
                onePass[round] = sqlDigests(t, chunks);
            }

            System.out.printf(Locale.ROOT, "%nrows: %,d (%s), %d chunks, medians of %d alternating rounds%n", rows,
                    counted, run.run().chunkCount(), ROUNDS);
            System.out.printf(Locale.ROOT, "%-66s %10s %12s%n", "", "seconds", "rows/s");
            line("plain digest query: SELECT count(*), sum(md5 halves)", median(plain), rows);
            line("verify --deep, source level (deep − delivery)", median(source), rows);
            line("verify, delivery level (re-hash zstd files)", median(delivery), rows);
            line("verify --deep, total", median(deep), rows);
            line("SQL digests only, one pass per half of the run (2 conns)", median(onePass), rows);
            line("full export (first run, in process)", export, rows);
            StringBuilder rounds = new StringBuilder();
            double[] paired = new double[ROUNDS];
            for (int round = 0; round < ROUNDS; round++) {
                paired[round] = source[round] / plain[round];
                rounds.append(round == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", paired[round]));
            }
            System.out.printf(Locale.ROOT, "source-level ÷ plain digest query time: %.2f× (medians); rounds %s, "
                    + "median of the rounds' ratios %.2f×%n", median(source) / median(plain), rounds, median(paired));
            System.out.printf("machine: %d cores, %s, %s%n", Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                    System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        System.exit(0);
    }

    /**
     * Seconds to digest every chunk in the source on two connections, as {@code verify --deep} does: one
     * pass per half of the run's rows (halves of its chunks, when their sizes differ, left one connection
     * most of the work and this line slower than the source level it is part of).
     */
    private static double sqlDigests(TestEngine t, List<ChunkRecord> chunks) throws Exception {
        List<List<ChunkRecord>> halves = ReconcileService.balanced(chunks, 2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        long t0 = System.nanoTime();
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (List<ChunkRecord> half : halves) {
                done.add(pool.submit(() -> {
                    var contract = t.contracts.load("bench").contract();
                    try (Connection c = t.ctx.sources().open(contract.source())) {
                        SourceSchema schema = new SchemaInspector().inspect(c, contract);
                        List<String> names = schema.columns().stream().map(ColumnInfo::outputName).toList();
                        return SqlChunkDigests.digests(c, schema, names, half.stream().map(ch ->
                                new SqlChunkDigests.Range(ch.seq(), CursorCodec.decode(ch.cursorFrom()),
                                        CursorCodec.decode(ch.cursorTo()))).toList()).size();
                    }
                }));
            }
            int digested = 0;
            for (Future<Integer> f : done) {
                digested += f.get();
            }
            if (digested != chunks.size()) {
                throw new IllegalStateException("only " + digested + " of " + chunks.size() + " chunks digested in SQL");
            }
        } finally {
            pool.shutdownNow();
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        return v[v.length / 2];
    }

    private static void line(String what, double seconds, long rows) {
        System.out.printf(Locale.ROOT, "%-66s %10.2f %,12.0f%n", what, seconds, rows / seconds);
    }
}
