package dev.exportdesk.chunk.parquet;

import com.github.luben.zstd.Zstd;
import dev.exportdesk.chunk.RowBuffer;
import dev.exportdesk.chunk.RowEncoder;
import dev.exportdesk.contract.FileFormat;
import dev.exportdesk.contract.ParquetOptions;
import dev.exportdesk.fs.SafeFiles;
import dev.exportdesk.fs.Scratch;
import dev.exportdesk.source.CanonicalValues;
import dev.exportdesk.source.CapturedRow;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Reads a Parquet chunk back as its canonical JSON Lines (docs/delivery-format.md, "Parquet"): the
 * content every check hashes and counts, whatever the format. It reads the files ExportDesk writes
 * (flat columns, PLAIN values, RLE levels, uncompressed, gzip or zstd pages), one row group at a
 * time. A delivered file may have been damaged or replaced, so every size is checked before use.
 */
public final class ParquetContent extends InputStream {
    private static final int MAX_FOOTER = 64 << 20;
    private static final int MAX_PAGE = 1 << 30;
    private static final int MAX_COLUMNS = 10_000;

    private final Path file;
    private final FileChannel channel;
    private final List<String> names = new ArrayList<>();
    private final List<ParquetColumn> types = new ArrayList<>();
    /** Each column's decimal scale (schema element field 7; 0 for other types). */
    private final List<Integer> scales = new ArrayList<>();
    private final List<Object> rowGroups;
    private final RowEncoder encoder;
    private final RowBuffer line = new RowBuffer();
    private int nextGroup;
    private InputStream current = InputStream.nullInputStream();

    private ParquetContent(Path file) throws IOException {
        this.file = file;
        this.channel = FileChannel.open(file, StandardOpenOption.READ, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        try {
            long size = channel.size();
            if (size < 12 || !Arrays.equals(read(0, 4), ParquetSink.MAGIC)
                    || !Arrays.equals(read(size - 4, 4), ParquetSink.MAGIC)) {
                throw new IOException("not a Parquet file (no PAR1 at its start and end)");
            }
            ByteBuffer len = ByteBuffer.wrap(read(size - 8, 4)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            int footerLength = len.getInt();
            if (footerLength < 0 || footerLength > MAX_FOOTER || footerLength > size - 12) {
                throw new IOException("Parquet footer length " + footerLength + " does not fit the file");
            }
            Map<Integer, Object> meta = new ThriftIn(read(size - 8 - footerLength, footerLength), 0).struct();
            List<Object> schema = ThriftIn.listField(meta, 2);
            if (schema.isEmpty() || schema.size() > MAX_COLUMNS + 1) {
                throw new IOException("Parquet schema has " + schema.size() + " elements");
            }
            for (Object e : schema.subList(1, schema.size())) {
                @SuppressWarnings("unchecked")
                Map<Integer, Object> element = (Map<Integer, Object>) e;
                if (element.containsKey(5)) {
                    throw new IOException("nested Parquet columns are not ExportDesk's");
                }
                names.add(ThriftIn.string(element, 4));
                types.add(ParquetColumn.read(element));
                long scale = element.get(7) instanceof Long l ? l : 0;
                if (scale < 0 || scale > ParquetOptions.Decimal.MAX_PRECISION) {
                    throw new IOException("a decimal scale of " + scale + " is not one ExportDesk writes");
                }
                scales.add((int) scale);
            }
            if (names.isEmpty() || !names.get(names.size() - 1).equals("_op")
                    || types.get(types.size() - 1) != ParquetColumn.STRING) {
                throw new IOException("the Parquet file has no _op text column last");
            }
            this.rowGroups = ThriftIn.listField(meta, 4);
            this.encoder = RowEncoder.of(FileFormat.JSONL, names.subList(0, names.size() - 1));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e instanceof IOException io ? io : new IOException("malformed Parquet file: " + e.getMessage(), e);
        }
    }

    /**
     * The largest Parquet file read back when the caller knows no tighter bound: a chunk's content
     * is at most 4 GiB ({@code chunk.max_bytes}), and compression never makes our file much larger.
     */
    public static final long MAX_FILE_BYTES = (4L << 30) + (64L << 20);

    /**
     * The canonical JSON Lines of the Parquet file {@code in} holds; {@code in} is read to its end
     * (into a file of {@code scratchFiles}, readable by this user only, since a Parquet footer comes
     * last) before the first line is served. A file longer than {@code maxBytes} (what its manifest
     * records, or {@link #MAX_FILE_BYTES}) is refused before more than that reaches the disk: it is
     * not ours.
     */
    public static InputStream jsonLines(InputStream in, long maxBytes, Scratch scratchFiles) throws IOException {
        SafeFiles.Temp temp = scratchFiles.create("parquet");
        Path scratch = temp.path();
        try {
            try (var out = java.nio.channels.Channels.newOutputStream(temp.channel())) {
                byte[] buf = new byte[1 << 16];
                long total = 0;
                for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                    total += n;
                    if (total > maxBytes) {
                        throw new IOException("the Parquet file is longer than the " + maxBytes + " bytes expected");
                    }
                    out.write(buf, 0, n);
                }
            }
            return new ParquetContent(scratch);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(scratch);
            throw e;
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        while (true) {
            int n = current.read(b, off, len);
            if (n != 0 && n != -1 || len == 0) {
                return n;
            }
            if (nextGroup >= rowGroups.size()) {
                return -1;
            }
            current = new ByteArrayInputStream(rowGroup(nextGroup++));
        }
    }

    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @SuppressWarnings("unchecked")
    private byte[] rowGroup(int index) throws IOException {
        try {
            Map<Integer, Object> group = (Map<Integer, Object>) rowGroups.get(index);
            long rows = ThriftIn.i64(group, 3);
            List<Object> chunks = ThriftIn.listField(group, 1);
            // our writer never puts more rows in a group: a footer claiming more is not ours (and would size arrays)
            if (chunks.size() != names.size() || rows < 0 || rows > ParquetOptions.MAX_ROWS) {
                throw new IOException("row group " + index + " has " + chunks.size() + " columns and " + rows
                        + " rows; the schema has " + names.size() + " columns");
            }
            Object[][] columns = new Object[names.size()][];
            for (int c = 0; c < columns.length; c++) {
                Map<Integer, Object> meta = ThriftIn.structField((Map<Integer, Object>) chunks.get(c), 3);
                if (meta == null) {
                    throw new IOException("column chunk without metadata");
                }
                columns[c] = column(meta, types.get(c), scales.get(c), c < columns.length - 1, (int) rows);
            }
            RowBuffer out = new RowBuffer();
            Object[] values = new Object[columns.length - 1];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < values.length; c++) {
                    values[c] = columns[c][r];
                }
                Object op = columns[columns.length - 1][r];
                encoder.encode(new CapturedRow(values, "delete".equals(op)), line);
                line.writeTo(out);
            }
            return out.toByteArray();
        } catch (RuntimeException e) { // a short buffer, a wrong type or an impossible date: a damaged file
            throw new IOException("malformed Parquet row group " + index + ": " + e.getMessage(), e);
        }
    }

    /** One column chunk's values, canonical, NULLs as null. */
    private Object[] column(Map<Integer, Object> meta, ParquetColumn type, int scale, boolean optional, int rows)
            throws IOException {
        long codec = ThriftIn.i64(meta, 4);
        long offset = ThriftIn.i64(meta, 9);
        long length = ThriftIn.i64(meta, 7);
        if (offset < 4 || length < 0 || length > MAX_PAGE || offset + length > channel.size()) {
            throw new IOException("column chunk at " + offset + " (" + length + " bytes) lies outside the file");
        }
        byte[] bytes = read(offset, (int) length);
        Object[] out = new Object[rows];
        int filled = 0;
        ThriftIn in = new ThriftIn(bytes, 0);
        while (filled < rows) {
            Map<Integer, Object> header = in.struct();
            long compressedSize = ThriftIn.i64(header, 3);
            long size = ThriftIn.i64(header, 2);
            Map<Integer, Object> data = ThriftIn.structField(header, 5);
            int at = in.position();
            if (ThriftIn.i64(header, 1) != 0 || data == null || compressedSize < 0 || at + compressedSize > bytes.length
                    || size < 0 || size > MAX_PAGE) {
                throw new IOException("a page header is not a data page within its column chunk");
            }
            long values = ThriftIn.i64(data, 1);
            if (values < 0 || filled + values > rows || ThriftIn.i64(data, 2) != 0) {
                throw new IOException("a page holds " + values + " values not PLAIN-encoded as written");
            }
            byte[] page = decompress(Arrays.copyOfRange(bytes, at, at + (int) compressedSize), codec, (int) size);
            decodePage(ByteBuffer.wrap(page).order(java.nio.ByteOrder.LITTLE_ENDIAN), type, scale, optional, out,
                    filled, (int) values);
            filled += (int) values;
            in = new ThriftIn(bytes, at + (int) compressedSize);
        }
        return out;
    }

    private static byte[] decompress(byte[] page, long codec, int size) throws IOException {
        if (codec == 0) {
            return page;
        } else if (codec == 6) {
            return Zstd.decompress(page, size);
        } else if (codec == 2) {
            try (InputStream z = new GZIPInputStream(new ByteArrayInputStream(page))) {
                return z.readNBytes(size);
            }
        }
        throw new IOException("Parquet compression codec " + codec + " is not one ExportDesk writes");
    }

    private static void decodePage(ByteBuffer b, ParquetColumn type, int scale, boolean optional, Object[] out,
                                   int from, int count) throws IOException {
        boolean[] present = new boolean[count];
        Arrays.fill(present, true);
        if (optional) {
            int length = b.getInt();
            if (length < 0 || length > b.remaining()) {
                throw new IOException("definition levels run past their page");
            }
            ByteBuffer levels = b.slice(b.position(), length);
            b.position(b.position() + length);
            definitionLevels(levels, present);
        }
        int bit = 0;
        for (int i = 0; i < count; i++) {
            if (!present[i]) {
                continue;
            }
            out[from + i] = switch (type) {
                case INT64 -> b.getLong();
                case DECIMAL -> java.math.BigDecimal.valueOf(b.getLong(), scale).toPlainString(); // canonical text
                case DOUBLE -> {
                    double d = b.getDouble();
                    yield Double.isFinite(d) ? (Object) d : Double.toString(d); // canonical: non-finite as text
                }
                case BOOLEAN -> {
                    boolean v = (b.get(b.position()) >>> bit & 1) == 1;
                    if (++bit == 8) {
                        b.position(b.position() + 1);
                        bit = 0;
                    }
                    yield v;
                }
                case DATE -> LocalDate.ofEpochDay(b.getInt()).toString();
                case TIME_MICROS -> CanonicalValues.time(LocalTime.ofNanoOfDay(Math.multiplyExact(b.getLong(), 1000L)));
                case TIMESTAMP_LOCAL, TIMESTAMP_UTC -> {
                    long micros = b.getLong();
                    LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                            (int) Math.floorMod(micros, 1_000_000L) * 1000, ZoneOffset.UTC);
                    yield CanonicalValues.timestamp(t, type == ParquetColumn.TIMESTAMP_UTC);
                }
                case BYTES, STRING -> {
                    int n = b.getInt();
                    if (n < 0 || n > b.remaining()) {
                        throw new IOException("a value of " + n + " bytes runs past its page");
                    }
                    byte[] v = new byte[n];
                    b.get(v);
                    yield type == ParquetColumn.STRING ? new String(v, StandardCharsets.UTF_8)
                            : Base64.getEncoder().encodeToString(v);
                }
            };
        }
    }

    /** RLE / bit-packed hybrid levels of bit width 1 (1: a value, 0: NULL). */
    private static void definitionLevels(ByteBuffer b, boolean[] present) throws IOException {
        int i = 0;
        while (i < present.length) {
            long header = 0;
            for (int shift = 0; ; shift += 7) {
                if (!b.hasRemaining() || shift > 35) {
                    throw new IOException("definition levels end early");
                }
                int x = b.get() & 0xff;
                header |= (long) (x & 0x7f) << shift;
                if ((x & 0x80) == 0) {
                    break;
                }
            }
            if ((header & 1) == 0) {
                long run = header >>> 1;
                if (!b.hasRemaining() || run > present.length - i) {
                    throw new IOException("a definition level run is longer than its page");
                }
                boolean value = b.get() != 0;
                for (long k = 0; k < run; k++) {
                    present[i++] = value;
                }
            } else {
                long groups = header >>> 1;
                for (long g = 0; g < groups; g++) {
                    if (!b.hasRemaining()) {
                        throw new IOException("bit-packed definition levels end early");
                    }
                    int bits = b.get() & 0xff;
                    for (int k = 0; k < 8 && i < present.length; k++) {
                        present[i++] = (bits >>> k & 1) == 1;
                    }
                }
            }
        }
    }

    private byte[] read(long position, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining()) {
            if (channel.read(buf, position + buf.position()) < 0) {
                throw new IOException("Parquet file truncated");
            }
        }
        return buf.array();
    }
}
