package dev.exportdesk.chunk.parquet;

import com.github.luben.zstd.Zstd;
import dev.exportdesk.contract.Compression;
import dev.exportdesk.contract.ParquetOptions;
import dev.exportdesk.source.CanonicalValues;
import dev.exportdesk.source.ValueKind;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Turns a chunk's canonical JSON Lines into one Parquet file: the stream takes the lines the
 * chunk's rows were encoded to (so row digests and the content hash stay those of the canonical
 * lines, whatever the format) and writes row groups to {@code out} as they fill, the footer at
 * {@link #close()}. Nothing in the file depends on the clock or chance: the same lines give the
 * same bytes. Holds one row group in memory.
 */
public final class ParquetSink extends OutputStream {
    /** Fixed: a reader may parse it, and the bytes must not change with the build. */
    public static final String CREATED_BY = "exportdesk-parquet version 1";
    static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] UPSERT = "upsert".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DELETE = "delete".getBytes(StandardCharsets.US_ASCII);

    private final OutputStream out;
    private final ColumnBuffer[] columns;
    private final ColumnBuffer op;
    private final Compression compression;
    private final int level;
    private final ParquetOptions options;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(512);
    private final CanonicalLine parser;
    private final List<byte[]> rowGroups = new ArrayList<>();
    private long position;
    private long totalRows;
    private long groupBytes;
    private boolean closed;

    /** {@code names} and {@code kinds}: the delivered columns, in order ({@code _op} follows them). */
    public ParquetSink(OutputStream out, List<String> names, List<ValueKind> kinds, Compression compression, int level,
                       ParquetOptions options) throws IOException {
        this.out = out;
        this.compression = compression;
        this.level = level;
        this.options = options;
        this.columns = new ColumnBuffer[names.size()];
        for (int i = 0; i < columns.length; i++) {
            ParquetOptions.Decimal decimal = options.decimals().get(names.get(i));
            columns[i] = decimal != null && kinds.get(i) == ValueKind.DECIMAL
                    ? new ColumnBuffer(names.get(i), ParquetColumn.DECIMAL, true, decimal.precision(), decimal.scale())
                    : new ColumnBuffer(names.get(i), ParquetColumn.of(kinds.get(i)), true);
        }
        this.op = new ColumnBuffer("_op", ParquetColumn.STRING, false);
        this.parser = new CanonicalLine(names);
        write0(MAGIC);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        int start = off;
        for (int i = off; i < off + len; i++) {
            if (b[i] == '\n') {
                if (line.size() == 0) {
                    row(b, start, i - start); // the whole line is here: parsed in place, no copy
                } else {
                    line.write(b, start, i - start);
                    row(line.toByteArray(), 0, line.size());
                    line.reset();
                }
                start = i + 1;
            }
        }
        line.write(b, start, off + len - start);
    }

    private void row(byte[] json, int offset, int length) throws IOException {
        CanonicalLine p = parser;
        p.start(json, offset, length);
        for (int i = 0; i < columns.length; i++) {
            p.name(i);
            add(columns[i], p);
        }
        op.addBytes(p.op() ? DELETE : UPSERT);
        totalRows++;
        groupBytes += length + 1;
        if (op.rows() >= options.rowGroupRows() || groupBytes >= options.rowGroupBytes()) {
            flushRowGroup();
        }
    }

    /** The canonical value (docs/delivery-format.md) in the column's Parquet type. */
    private static void add(ColumnBuffer c, CanonicalLine p) throws IOException {
        if (p.nextIsNull()) {
            c.addNull();
            return;
        }
        switch (c.type) {
            case INT64 -> c.addLong(p.integer());
            case DOUBLE -> c.addLong(Double.doubleToRawLongBits(Double.parseDouble(p.nextIsString() ? p.text()
                    : p.number()))); // NaN and ±Infinity are text
            case BOOLEAN -> c.addBoolean(p.bool());
            case DATE -> c.addInt(Math.toIntExact(LocalDate.parse(p.text()).toEpochDay()));
            case TIME_MICROS -> c.addLong(LocalTime.parse(p.text()).toNanoOfDay() / 1000);
            case TIMESTAMP_LOCAL, TIMESTAMP_UTC -> {
                var instant = CanonicalValues.instantOf(p.text(), c.type == ParquetColumn.TIMESTAMP_UTC
                        ? ValueKind.TIMESTAMP_TZ : ValueKind.TIMESTAMP);
                c.addLong(Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L),
                        instant.getNano() / 1000));
            }
            case BYTES -> c.addBytes(Base64.getDecoder().decode(p.string()));
            case STRING -> c.addBytes(p.string());
            case DECIMAL -> c.addLong(unscaled(c, p.text()));
        }
    }

    /**
     * A typed decimal's unscaled value. Only a value of exactly the declared scale and within the
     * precision is written: anything else (NaN, a value the source column's type now allows beyond the
     * declared one) fails the chunk, naming the column, rather than changing the partner's value.
     */
    private static long unscaled(ColumnBuffer c, String text) throws IOException {
        try {
            BigDecimal v = new BigDecimal(text);
            if (v.scale() != c.scale || v.precision() - v.scale() > c.precision - c.scale) {
                throw new NumberFormatException();
            }
            return v.unscaledValue().longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IOException("column " + c.name + ": " + dev.exportdesk.text.Text.safe(text.length() > 60
                    ? text.substring(0, 60) + "…" : text) + " is not a DECIMAL(" + c.precision + "," + c.scale
                    + ") value (parquet.decimals): change the declared type or the column");
        }
    }

    private void flushRowGroup() throws IOException {
        int rows = op.rows();
        if (rows == 0) {
            return;
        }
        ThriftOut rg = new ThriftOut().begin();
        rg.list(1, ThriftOut.STRUCT, columns.length + 1);
        long groupStart = position;
        long uncompressedTotal = 0;
        for (int i = 0; i <= columns.length; i++) {
            ColumnBuffer c = i < columns.length ? columns[i] : op;
            byte[] body = c.page();
            byte[] compressed = compress(body);
            byte[] header = new ThriftOut().begin()
                    .i32(1, 0) // DATA_PAGE
                    .i32(2, body.length)
                    .i32(3, compressed.length)
                    .struct(5).i32(1, rows).i32(2, 0).i32(3, 3).i32(4, 3).end() // PLAIN values, RLE levels
                    .end().toByteArray();
            long offset = position;
            write0(header);
            write0(compressed);
            long uncompressed = header.length + body.length;
            uncompressedTotal += uncompressed;
            rg.begin().i64(2, offset).struct(3)
                    .i32(1, c.type.physical)
                    .list(2, ThriftOut.I32, 2).i32Element(0).i32Element(3)
                    .list(3, ThriftOut.BINARY, 1).stringElement(c.name)
                    .i32(4, codec(compression))
                    .i64(5, rows)
                    .i64(6, uncompressed)
                    .i64(7, header.length + compressed.length)
                    .i64(9, offset)
                    .end().end();
        }
        rg.i64(2, uncompressedTotal).i64(3, rows).i64(5, groupStart).i64(6, position - groupStart).end();
        rowGroups.add(rg.toByteArray());
        groupBytes = 0;
    }

    private byte[] compress(byte[] body) throws IOException {
        return switch (compression) {
            case NONE -> body;
            case ZSTD -> Zstd.compress(body, level == 0 ? Compression.ZSTD.defaultLevel() : level);
            case GZIP -> {
                ByteArrayOutputStream b = new ByteArrayOutputStream(body.length / 2 + 64);
                // GZIPOutputStream writes a zero modification time: the same page gives the same bytes
                try (GZIPOutputStream z = new GZIPOutputStream(b) {
                    {
                        def.setLevel(level == 0 ? Deflater.DEFAULT_COMPRESSION : level);
                    }
                }) {
                    z.write(body);
                }
                yield b.toByteArray();
            }
        };
    }

    /** Parquet's {@code CompressionCodec} value for the contract's compression. */
    static int codec(Compression c) {
        return switch (c) {
            case NONE -> 0;
            case GZIP -> 2;
            case ZSTD -> 6;
        };
    }

    private void write0(byte[] b) throws IOException {
        out.write(b);
        position += b.length;
    }

    @Override
    public void flush() {
        // pages are written whole when a row group closes; a flush in between has nothing to add
    }

    /** Writes the last row group and the footer, then closes {@code out}. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (line.size() > 0) {
            throw new IOException("a chunk row does not end with a line break");
        }
        flushRowGroup();
        ThriftOut meta = new ThriftOut().begin().i32(1, 1);
        meta.list(2, ThriftOut.STRUCT, columns.length + 2);
        meta.begin().string(4, "schema").i32(5, columns.length + 1).end();
        for (int i = 0; i <= columns.length; i++) {
            ColumnBuffer c = i < columns.length ? columns[i] : op;
            meta.begin().i32(1, c.type.physical).i32(3, c.optional ? 1 : 0).string(4, c.name);
            if (c.type.convertedType() >= 0) {
                meta.i32(6, c.type.convertedType());
            }
            if (c.type == ParquetColumn.DECIMAL) {
                meta.i32(7, c.scale).i32(8, c.precision);
                meta.struct(10).struct(5).i32(1, c.scale).i32(2, c.precision).end().end();
            }
            c.type.writeLogicalType(meta);
            meta.end();
        }
        meta.i64(3, totalRows);
        meta.list(4, ThriftOut.STRUCT, rowGroups.size());
        byte[] head = meta.toByteArray();
        ByteArrayOutputStream footer = new ByteArrayOutputStream();
        footer.write(head);
        for (byte[] rg : rowGroups) {
            footer.write(rg);
        }
        footer.write(tailBytes());
        byte[] f = footer.toByteArray();
        write0(f);
        int n = f.length;
        write0(new byte[] {(byte) n, (byte) (n >>> 8), (byte) (n >>> 16), (byte) (n >>> 24)});
        write0(MAGIC);
        out.close();
    }

    /** The footer's last field ({@code created_by}, id 6, after the row groups' id 4) and its STOP byte. */
    private static byte[] tailBytes() {
        byte[] by = CREATED_BY.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(2 << 4 | ThriftOut.BINARY); // delta 6 - 4
        ColumnBuffer.varint(b, by.length);
        b.write(by, 0, by.length);
        b.write(0);
        return b.toByteArray();
    }
}
