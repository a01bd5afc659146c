package dev.exportdesk.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the benchmarks share: the median of repeats, the chunk files a run delivered with their size,
 * JVM options from the environment.
 */
final class BenchFiles {
    private BenchFiles() {
    }

    /** The median of alternating repeats (the upper one of an even count). */
    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        return sorted.get(sorted.size() / 2);
    }

    /**
     * The JVM options in environment variable {@code variable} (BENCH_CHILD_JVM_OPTS, BENCH_B_JVM_OPTS),
     * split on spaces, with {@code {run}} replaced by {@code run}; none when it is unset or blank.
     */
    static List<String> jvmOptions(String variable, String run) {
        String text = System.getenv(variable);
        return text == null || text.isBlank() ? List.of() : List.of(text.replace("{run}", run).trim().split("\\s+"));
    }

    /** Every {@code chunk-*} file below {@code drop}, sorted. */
    static List<Path> chunks(Path drop) throws IOException {
        try (Stream<Path> files = Files.walk(drop)) {
            return files.filter(f -> f.getFileName().toString().startsWith("chunk-")).sorted().toList();
        }
    }

    static long bytes(List<Path> files) {
        return files.stream().mapToLong(f -> f.toFile().length()).sum();
    }

    /** The benchmarks' {@code orders} table, {@code rows} rows, 100 to each second of its cursor, indexed. */
    static void loadOrders(dev.exportdesk.testing.SourceDb db, long rows) throws java.sql.SQLException {
        System.out.printf("loading %,d rows…%n", rows);
        db.exec(
"CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id BIGINT NOT NULL, status VARCHAR(20) NOT NULL, "
                        + "amount NUMERIC(12,2) NOT NULL, note VARCHAR(200), updated_at TIMESTAMP WITH TIME ZONE NOT NULL)",
                "INSERT INTO orders SELECT g, g % 100000, (ARRAY['new','paid','shipped','delivered'])[1 + g % 4], "
                        + "(g % 100000) / 100.0, CASE WHEN g % 3 = 0 THEN NULL ELSE 'note ' || md5(g::text) END, "
                        + "TIMESTAMP WITH TIME ZONE '2024-01-01 00:00:00+00' + (g / 100) * INTERVAL '1 second' "
                        + "FROM generate_series(1, " + rows + ") g",
                "CREATE INDEX orders_cursor ON orders (updated_at, id)", "VACUUM ANALYZE orders");
    }
}
