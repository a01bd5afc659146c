package dev.exportdesk.bench;

import dev.exportdesk.chunk.EncodedLines;
import dev.exportdesk.chunk.RowEncoder;
import dev.exportdesk.contract.FileFormat;
import dev.exportdesk.source.CapturedRow;
import dev.exportdesk.source.ColumnInfo;
import dev.exportdesk.source.SourceSchema;
import dev.exportdesk.source.SqlScan;
import dev.exportdesk.source.ValueKind;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.postgresql.copy.CopyOut;

/**
 * Benchmark (not a test): the export's reader thread alone — COPY text lines of the export
 * benchmark's {@code orders} rows, served from memory, through {@code PgCopyScan.next} (decode
 * into canonical values) and the JSON Lines encoder with the line's SHA-256 (what the read-ahead
 * thread does per row). Reports that thread's CPU nanoseconds per row, so a change to decoding or
 * encoding can be compared with its "before" build on a machine others load: CPU time of one
 * thread moves less with the load than wall time does. {@code .ci/bench reader [ROWS] [REPEATS]}; with
 * {@code BENCH_BEFORE_CLASSES} naming another build's target/classes, both builds run in this JVM,
 * each in its own class loader, repeat by repeat in turn.
 */
public final class ReaderBenchmark {
    private ReaderBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        String before = System.getenv("BENCH_BEFORE_CLASSES");
        if (before == null || before.isBlank()) {
            measure(List.of(new Build("this build", ReaderBenchmark.class)), rows, repeats);
            return;
        }
        // Both builds in this one JVM, each in a class loader of its own, taking turns repeat by repeat:
        // whatever else loads the machine then falls on both alike.
        measure(List.of(new Build("before", load(Path.of(before))), new Build("this build",
                load(Path.of("target", "classes").toAbsolutePath()))), rows, repeats);
    }

    private record Build(String name, Class<?> bench) {
    }

    /** This class, loaded with {@code classes} in place of this build's target/classes. */
    private static Class<?> load(Path classes) throws Exception {
        String own = Path.of("target", "classes").toAbsolutePath().toString();
        List<java.net.URL> urls = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path p = Path.of(e).toAbsolutePath();
            urls.add((p.toString().equals(own) ? classes : p).toUri().toURL());
        }
        ClassLoader loader = new java.net.URLClassLoader(urls.toArray(java.net.URL[]::new),
                ClassLoader.getPlatformClassLoader());
        return Class.forName(ReaderBenchmark.class.getName(), true, loader);
    }

    private static void measure(List<Build> builds, int rows, int repeats) throws Exception {
        List<List<Double>> perRow = new ArrayList<>();
        for (Build b : builds) {
            b.bench().getMethod("prepare", int.class).invoke(null, rows);
            perRow.add(new ArrayList<>());
        }
        for (int r = 0; r < repeats; r++) {
            for (int k = 0; k < builds.size(); k++) {
                // alternate which build goes first
                int i = r % 2 == 0 ? k : builds.size() - 1 - k;
                double ns = (double) builds.get(i).bench().getMethod("once").invoke(null);
                perRow.get(i).add(ns);
                System.out.printf(Locale.ROOT, "repeat %d, %s: %.0f ns of CPU per row%n", r + 1, builds.get(i).name(),
                        ns);
            }
        }
        // the first two repeats warm the JIT up; the median of the rest is the figure
        for (int i = 0; i < builds.size(); i++) {
            List<Double> all = perRow.get(i);
            List<Double> warm = all.subList(Math.min(2, all.size() - 1), all.size());
            System.out.printf(Locale.ROOT, "%s: reader thread, decode + encode + SHA-256: median %.0f ns/row "
                    + "(min %.0f) over %d warm repeats of %,d rows%n", builds.get(i).name(), BenchFiles.median(warm),
                    warm.stream().mapToDouble(Double::doubleValue).min().orElseThrow(), warm.size(), rows);
        }
    }

    private static List<ColumnInfo> columns;
    private static SourceSchema schema;
    private static byte[][] lines;
    private static dev.exportdesk.source.ReadAheadScan.Batcher<EncodedLines> encode;

    /** Called in each build's class loader: the rows, once. */
    public static void prepare(int rows) throws Exception {
        columns = List.of(
                new ColumnInfo("id", "id", Types.BIGINT, "int8", false, ValueKind.INTEGER),
                new ColumnInfo("customer_id", "customer_id", Types.BIGINT, "int8", false, ValueKind.INTEGER),
                new ColumnInfo("status", "status", Types.VARCHAR, "varchar", false, ValueKind.STRING),
                new ColumnInfo("amount", "amount", Types.NUMERIC, "numeric", false, ValueKind.DECIMAL),
                new ColumnInfo("note", "note", Types.VARCHAR, "varchar", true, ValueKind.STRING),
                new ColumnInfo("updated_at", "updated_at", Types.TIMESTAMP_WITH_TIMEZONE, "timestamptz", false,
                        ValueKind.TIMESTAMP_TZ));
        schema = new SourceSchema("\"orders\"", columns, new int[] {5, 0}, new int[] {0}, -1, "bench");
        lines = lines(rows);
        // made cold and kept, as a scan's encoder is made at its start and kept to its end
        encode = EncodedLines.encoder(RowEncoder.of(FileFormat.JSONL, columns.stream().map(ColumnInfo::outputName)
                .toList()), CapturedRow::delete, null);
    }

    /** Called in each build's class loader: one pass over the rows, CPU nanoseconds per row. */
    public static double once() throws Exception {
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        SqlScan scan = scan(schema, lines);
        long sink = 0;
        long t0 = cpu.getCurrentThreadCpuTime();
        EncodedLines batch = encode.open(512);
        int n = 0;
        for (CapturedRow row = scan.next(); row != null; row = scan.next()) {
            if (n == 512) {
                batch = encode.open(512); // as the read-ahead thread does, a batch of 512 rows at a time
                n = 0;
            }
            encode.add(batch, row);
            sink += batch.shas()[n++ * EncodedLines.SHA_BYTES];
        }
        double ns = (cpu.getCurrentThreadCpuTime() - t0) / (double) lines.length;
        return sink == Long.MIN_VALUE ? -ns : ns; // keeps the hashes from being optimised away
    }

    /** The COPY text PostgreSQL sends for the export benchmark's rows (BenchFiles.loadOrders). */
    private static byte[][] lines(int rows) throws Exception {
        String[] statuses = {"new", "paid", "shipped", "delivered"};
        java.security.MessageDigest md5 = java.security.MessageDigest.getInstance("MD5");
        java.time.Instant start = java.time.Instant.parse("2024-01-01T00:00:00Z");
        java.time.format.DateTimeFormatter ts = java.time.format.DateTimeFormatter
                .ofPattern("uuuu-MM-dd HH:mm:ss").withZone(java.time.ZoneOffset.UTC);
        byte[][] out = new byte[rows][];
        for (int g = 1; g <= rows; g++) {
            long cents = g % 100000;
            String amount = (cents / 100) + "." + String.format(Locale.ROOT, "%02d", cents % 100);
            String note = g % 3 == 0 ? "\\N" : "note " + java.util.HexFormat.of().formatHex(
                    md5.digest(Integer.toString(g).getBytes(StandardCharsets.US_ASCII)));
            String line = g + "\t" + (g % 100000) + "\t" + statuses[g % 4] + "\t" + amount + "\t" + note + "\t"
                    + ts.format(start.plusSeconds(g / 100)) + "+00\n";
            out[g - 1] = line.getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    /** A PgCopyScan (private constructor: it is opened on a connection) reading {@code lines}. */
    private static SqlScan scan(SourceSchema schema, byte[][] lines) throws Exception {
        Class<?> textClass = Class.forName("dev.exportdesk.source.CopyText");
        Constructor<?> textNew = textClass.getDeclaredConstructor(List.class, org.postgresql.jdbc.TimestampUtils.class);
        textNew.setAccessible(true);
        Object text = textNew.newInstance(schema.columns(), null); // the driver's parser: never needed here
        Class<?> scanClass = Class.forName("dev.exportdesk.source.PgCopyScan");
        Constructor<?> scanNew = scanClass.getDeclaredConstructor(Connection.class, SourceSchema.class, CopyOut.class,
                textClass, boolean.class);
        scanNew.setAccessible(true);
        return (SqlScan) scanNew.newInstance(null, schema, new Lines(lines), text, false);
    }

    /** COPY's rows from memory. */
    private static final class Lines implements CopyOut {
        private final byte[][] lines;
        private int next;

        Lines(byte[][] lines) {
            this.lines = lines;
        }

        @Override
        public byte[] readFromCopy() {
            // a copy, as the driver hands out a new array per row
            return next < lines.length ? lines[next++].clone() : null;
        }

        @Override
        public byte[] readFromCopy(boolean block) {
            return readFromCopy();
        }

        @Override
        public int getFieldCount() {
            return 6;
        }

        @Override
        public int getFormat() {
            return 0;
        }

        @Override
        public int getFieldFormat(int field) {
            return 0;
        }

        @Override
        public boolean isActive() {
            return next < lines.length;
        }

        @Override
        public void cancelCopy() {
        }

        @Override
        public long getHandledRowCount() {
            return next;
        }
    }
}
