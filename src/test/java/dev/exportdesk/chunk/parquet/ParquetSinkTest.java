package dev.exportdesk.chunk.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.exportdesk.contract.Compression;
import dev.exportdesk.contract.ParquetOptions;
import dev.exportdesk.fs.Scratch;
import dev.exportdesk.source.ValueKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Parquet writer against canonical JSON Lines: every codec writes a file DuckDB (a reader that
 * is not ours) takes, our reader gives back the very lines written, the same lines give the same
 * bytes, and a damaged file is an error, not rows.
 */
class ParquetSinkTest {
    private static final List<String> NAMES = List.of("id", "flag", "ratio", "born", "stamp", "clock", "raw", "txt");
    private static final List<ValueKind> KINDS = List.of(ValueKind.INTEGER, ValueKind.BOOLEAN, ValueKind.FLOAT,
            ValueKind.DATE, ValueKind.TIMESTAMP_TZ, ValueKind.TIME, ValueKind.BINARY, ValueKind.DECIMAL);

    /** Text as the canonical encoder escapes it: quote, backslash, line feed, tab, a control character, raw UTF-8. */
    private static final String ESCAPED = "\"say \\\"hi\\\" \\\\ \\n\\t\\u0001 ü 日本 \uD83D\uDE00\"";

    @TempDir
    Path dir;

    /** 23 rows: NULLs in runs and alone, booleans across byte edges, non-finite doubles, a delete. */
    private static String lines() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 23; i++) {
            boolean nulls = i % 5 == 3 || i >= 20;
            String ratio = i == 4 ? "\"NaN\"" : i == 5 ? "\"-Infinity\"" : i + ".25";
            sb.append("{\"id\":").append(i).append(",\"flag\":").append(nulls ? "null" : i % 3 == 0)
                    .append(",\"ratio\":").append(nulls ? "null" : ratio)
                    .append(",\"born\":").append(nulls ? "null" : "\"19" + (10 + i) + "-02-28\"")
                    .append(",\"stamp\":").append(nulls ? "null" : "\"2024-03-01T12:00:0" + (i % 10) + ".00012" + (i % 10) + "Z\"")
                    .append(",\"clock\":").append(nulls ? "null" : "\"23:59:59.99999" + (i % 10) + "\"")
                    .append(",\"raw\":").append(nulls ? "null" : "\"AAEC/w==\"")
                    .append(",\"txt\":").append(nulls ? "null" : i == 1 ? ESCAPED : "\"-0.0" + i + "\"")
                    .append(",\"_op\":\"").append(i == 7 ? "delete" : "upsert").append("\"}\n");
        }
        return sb.toString();
    }

    private byte[] write(String lines, Compression compression, int rowGroupRows) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ParquetSink sink = new ParquetSink(out, NAMES, KINDS, compression, compression.defaultLevel(),
                new ParquetOptions(rowGroupRows, ParquetOptions.DEFAULT.rowGroupBytes()))) {
            byte[] b = lines.getBytes(StandardCharsets.UTF_8);
            sink.write(b, 0, 100); // a line split across writes
            sink.write(b, 100, b.length - 100);
        }
        return out.toByteArray();
    }

    private Scratch scratch() {
        return new Scratch(dir.resolve("scratch"));
    }

    @Test
    void everyCodecReadsBackToTheSameLinesAndDuckDbReadsIt() throws Exception {
        for (Compression c : Compression.values()) {
            byte[] file = write(lines(), c, 4);
            assertThat(write(lines(), c, 4)).as("same lines, same bytes (" + c + ")").isEqualTo(file);
            try (InputStream back = ParquetContent.jsonLines(new java.io.ByteArrayInputStream(file), file.length, scratch())) {
                assertThat(new String(back.readAllBytes(), StandardCharsets.UTF_8)).as(c.name()).isEqualTo(lines());
            }
            // a file longer than its manifest records is refused before the excess is written to scratch
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ParquetContent.jsonLines(
                    new java.io.ByteArrayInputStream(file), file.length - 1, scratch())).isInstanceOf(java.io.IOException.class)
                    .hasMessageContaining("longer than the " + (file.length - 1) + " bytes expected");
            try (var left = Files.list(scratch().dir())) {
                assertThat(left.toList()).as("read back and refused: no plaintext left in scratch").isEmpty();
            }
            Path p = Files.write(dir.resolve(c.name() + ".parquet"), file);
            try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
                 Statement st = duck.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*), count(flag), sum(id), count(*) FILTER (WHERE _op = 'delete'),"
                         + " max(born)::VARCHAR, min(stamp)::VARCHAR, max(clock)::VARCHAR, count(*) FILTER (WHERE isnan(ratio)),"
                         + " min(ratio), any_value(raw), count(*) FILTER (WHERE flag), max(txt) FILTER (WHERE id = 1)"
                         + " FROM read_parquet('" + p + "')"
                         + " WHERE id < 30")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(23);
                assertThat(rs.getLong(2)).as("non-NULL flags").isEqualTo(16);
                assertThat(rs.getLong(3)).isEqualTo(253);
                assertThat(rs.getLong(4)).isEqualTo(1);
                assertThat(rs.getString(5)).isEqualTo("1929-02-28");
                assertThat(rs.getString(6)).startsWith("2024-03-01 12:00:00.00012");
                assertThat(rs.getString(7)).isEqualTo("23:59:59.999999");
                assertThat(rs.getLong(8)).isEqualTo(1);
                assertThat(rs.getDouble(9)).isEqualTo(Double.NEGATIVE_INFINITY);
                assertThat(rs.getBytes(10)).containsExactly(0, 1, 2, 0xff);
                assertThat(rs.getLong(11)).as("true flags: 0, 6, 9, 12, 15").isEqualTo(5);
                assertThat(rs.getString(12)).isEqualTo("say \"hi\" \\ \n\t\u0001 ü 日本 \uD83D\uDE00");
            }
        }
    }

    @Test
    void rowGroupSizesChangeTheFileNotTheRows() throws Exception {
        byte[] small = write(lines(), Compression.ZSTD, 2);
        byte[] one = write(lines(), Compression.ZSTD, 1000);
        assertThat(small).isNotEqualTo(one);
        for (byte[] f : List.of(small, one)) {
            try (InputStream back = ParquetContent.jsonLines(new java.io.ByteArrayInputStream(f), ParquetContent.MAX_FILE_BYTES, scratch())) {
                assertThat(new String(back.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(lines());
            }
        }
    }

    /** The writer holds one row group: a byte bound closes groups however many rows they hold. */
    @Test
    void rowGroupsCloseAtTheirByteBound() throws Exception {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            many.append(lines());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ParquetSink sink = new ParquetSink(out, NAMES, KINDS, Compression.ZSTD, 1,
                new ParquetOptions(ParquetOptions.MAX_ROWS, ParquetOptions.MIN_BYTES))) {
            sink.write(many.toString().getBytes(StandardCharsets.UTF_8));
        }
        long contentBytes = many.toString().getBytes(StandardCharsets.UTF_8).length;
        Path p = Files.write(dir.resolve("groups.parquet"), out.toByteArray());
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement st = duck.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(DISTINCT row_group_id), max(row_group_num_rows)"
                     + " FROM parquet_metadata('" + p + "')")) {
            rs.next();
            assertThat(rs.getLong(1)).as("groups of 64 KiB of %d bytes of rows", contentBytes)
                    .isEqualTo((contentBytes + ParquetOptions.MIN_BYTES - 1) / ParquetOptions.MIN_BYTES);
            assertThat(rs.getLong(2)).isLessThan(920);
        }
    }

    @Test
    void aDamagedOrForeignFileIsAnErrorNotRows() throws Exception {
        byte[] file = write(lines(), Compression.ZSTD, 4);
        List<byte[]> bad = new ArrayList<>();
        bad.add(java.util.Arrays.copyOf(file, file.length - 1));
        byte[] footer = file.clone();
        footer[footer.length - 8] = (byte) 0xff; // footer length beyond the file
        bad.add(footer);
        byte[] page = file.clone();
        for (int i = 40; i < 60; i++) {
            page[i] ^= 0x5a; // inside the first column chunk
        }
        bad.add(page);
        bad.add("{\"id\":1}\n".getBytes(StandardCharsets.UTF_8));
        for (byte[] b : bad) {
            assertThatThrownBy(() -> {
                try (InputStream in = ParquetContent.jsonLines(new java.io.ByteArrayInputStream(b), ParquetContent.MAX_FILE_BYTES, scratch())) {
                    in.readAllBytes();
                }
            }).isInstanceOf(IOException.class);
        }
    }

    @Test
    void aLineThatIsNotTheColumnsIsRefused() {
        assertThatThrownBy(() -> write("{\"id\":1,\"other\":2,\"_op\":\"upsert\"}\n", Compression.NONE, 10))
                .isInstanceOf(IOException.class).hasMessageContaining("expected ,\"flag\":");
    }

    /**
     * A typed decimal (parquet.decimals) reads back as its canonical text; a value that is not of the
     * declared type (NaN, another scale, too many digits) fails the chunk naming the column.
     */
    @Test
    void typedDecimalsRoundTripAndValuesOutsideTheirTypeFailTheChunk() throws Exception {
        ParquetOptions typed = new ParquetOptions(100, 1 << 20, java.util.Map.of("amount",
                new ParquetOptions.Decimal(6, 2)));
        String good = "{\"amount\":\"1234.50\",\"_op\":\"upsert\"}\n{\"amount\":\"-0.01\",\"_op\":\"upsert\"}\n"
                + "{\"amount\":null,\"_op\":\"delete\"}\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ParquetSink sink = new ParquetSink(out, List.of("amount"), List.of(ValueKind.DECIMAL), Compression.NONE, 0,
                typed)) {
            sink.write(good.getBytes(StandardCharsets.UTF_8));
        }
        Path file = Files.write(dir.resolve("typed.parquet"), out.toByteArray());
        try (InputStream back = ParquetContent.jsonLines(Files.newInputStream(file), ParquetContent.MAX_FILE_BYTES, scratch())) {
            assertThat(new String(back.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(good);
        }
        for (String bad : List.of("\"NaN\"", "\"1.5\"", "\"12345.00\"", "\"1.505\"")) {
            assertThatThrownBy(() -> {
                try (ParquetSink sink = new ParquetSink(new ByteArrayOutputStream(), List.of("amount"),
                        List.of(ValueKind.DECIMAL), Compression.NONE, 0, typed)) {
                    sink.write(("{\"amount\":" + bad + ",\"_op\":\"upsert\"}\n").getBytes(StandardCharsets.UTF_8));
                }
            }).as(bad).isInstanceOf(IOException.class).hasMessageContaining("column amount")
                    .hasMessageContaining("is not a DECIMAL(6,2) value");
        }
    }
}
