package dev.exportdesk.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.engine.runs.RunResult;
import dev.exportdesk.store.RunState;
import dev.exportdesk.testing.ChildJvm;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark (not a test): how the H2 state store's file grows over many steady-state runs, each
 * shipping ROWS rows changed just before it, with a lookback short enough that every run prunes
 * what the one before indexed. Once with the workspace held open across runs (as a console keeps
 * it) and once with a CLI child JVM per run. Run with {@code .ci/bench store [ROWS] [RUNS]}.
 */
public final class StoreGrowthBenchmark {
    private StoreGrowthBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 500_000L;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        Path dir = Files.createTempDirectory("exportdesk-store-bench");
        SourceDb db = SourceDb.postgres();
        db.exec("CREATE TABLE orders (id BIGINT PRIMARY KEY, status VARCHAR(20) NOT NULL, note VARCHAR(200), "
                + "updated_at TIMESTAMP WITH TIME ZONE NOT NULL)", "CREATE INDEX orders_cursor ON orders (updated_at, id)");
        for (String mode : List.of("held-open", "cli")) {
            db.exec("TRUNCATE orders");
            Path ws = dir.resolve(mode);
            ObjectNode contract = Contracts.base("growth", db, "orders", dir.resolve("drop-" + mode));
            contract.putArray("columns").add("id").add("status").add("note").add("updated_at");
            ((ObjectNode) contract.get("chunk")).put("max_rows", 250_000).put("max_bytes", 1L << 30);
            ((ObjectNode) contract.get("late_data")).put("safety_lag", "0s").put("lookback", "2s");
            contract.put("fetch_size", 5000);
            TestEngine held = TestEngine.open(ws);
            held.importContract(contract.toString());
            if (mode.equals("cli")) {
                held.close();
                held = null;
            }
            long peak = 0;
            for (int i = 0; i < runs; i++) {
                // updates every row already there (as a busy table does) and adds new ones
                db.exec("UPDATE orders SET status = 'round-" + i + "', updated_at = now()",
                        "INSERT INTO orders SELECT g, 'new', 'note ' || md5(g::text), now() FROM generate_series("
                                + (i * rows / 2 + 1) + ", " + ((i + 1) * rows / 2) + ") g");
                Thread.sleep(2100); // the rows of the run before fall behind the 2 s lookback
                if (held != null) {
                    RunResult r = held.run("growth");
                    if (r.run().state() != RunState.COMPLETED) {
                        throw new IllegalStateException("run failed: " + r.run().error());
                    }
                } else {
                    int code = ChildJvm.run(dir.resolve("run-" + i + ".log"), List.of("-Xmx256m"), 3600,
                            "--workspace", ws.toString(), "run", "growth", "-q");
                    if (code != 0) {
                        throw new IllegalStateException("run failed: " + Files.readString(dir.resolve("run-" + i + ".log")));
                    }
                }
                long size = Files.size(ws.resolve("state/exportdesk.mv.db"));
                peak = Math.max(peak, size);
                System.out.printf(Locale.ROOT, "%s run %d: %,d rows in the table, state store %.1f MB%n", mode, i + 1,
                        (i + 1) * rows / 2, size / 1e6);
            }
            if (held != null) {
                held.close();
            }
            System.out.printf(Locale.ROOT, "%s: peak %.1f MB, after closing %.1f MB%n%n", mode, peak / 1e6,
                    Files.size(ws.resolve("state/exportdesk.mv.db")) / 1e6);
        }
        System.exit(0);
    }
}
