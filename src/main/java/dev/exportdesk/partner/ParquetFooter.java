package dev.exportdesk.partner;

import dev.exportdesk.fs.SafeFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A Parquet chunk's row count, from its footer's {@code num_rows}: all this standalone verifier
 * reads of a Parquet file besides its hash. The file is the sender's, so the footer is bounded (at
 * most 64 MiB and inside the file) and the Thrift walk is bounded in depth and by the footer's bytes.
 */
final class ParquetFooter {
    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_FOOTER = 64 << 20;
    private static final int MAX_DEPTH = 16;

    private final byte[] b;
    private int pos;

    private ParquetFooter(byte[] b) {
        this.b = b;
    }

    /** The rows the footer of {@code file} ({@code size} bytes, a regular file) declares. */
    static long rows(Path file, long size) throws IOException {
        if (size < 12) {
            throw new IOException("not a Parquet file (" + size + " bytes)");
        }
        byte[] head;
        byte[] tail;
        try (InputStream in = SafeFiles.openRegular(file, size)) {
            head = in.readNBytes(4);
            in.skipNBytes(size - 12);
            tail = in.readNBytes(8);
        }
        if (!Arrays.equals(head, MAGIC) || !Arrays.equals(Arrays.copyOfRange(tail, 4, 8), MAGIC)) {
            throw new IOException("not a Parquet file (no PAR1 at its start and end)");
        }
        int length = (tail[0] & 0xff) | (tail[1] & 0xff) << 8 | (tail[2] & 0xff) << 16 | (tail[3] & 0xff) << 24;
        if (length < 0 || length > MAX_FOOTER || length > size - 12) {
            throw new IOException("Parquet footer length " + length + " does not fit the file");
        }
        byte[] footer;
        try (InputStream in = SafeFiles.openRegular(file, size)) {
            in.skipNBytes(size - 8 - length);
            footer = in.readNBytes(length);
        }
        return new ParquetFooter(footer).numRows();
    }

    /** FileMetaData field 3 ({@code num_rows}, i64); every other field is skipped. */
    private long numRows() throws IOException {
        int lastId = 0;
        while (true) {
            int h = u8();
            if (h == 0) {
                throw new IOException("the Parquet footer has no num_rows");
            }
            int type = h & 0x0f;
            int id = (h >>> 4) != 0 ? lastId + (h >>> 4) : (int) unzigzag(varint());
            lastId = id;
            if (id == 3 && type == 6) {
                long rows = unzigzag(varint());
                if (rows < 0) {
                    throw new IOException("the Parquet footer declares " + rows + " rows");
                }
                return rows;
            }
            skip(type, 0);
        }
    }

    private void skip(int type, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new IOException("the Parquet footer is nested too deep");
        }
        switch (type) {
            case 1, 2 -> {
            }
            case 3 -> u8();
            case 4, 5, 6 -> varint();
            case 7 -> bytes(8);
            case 8 -> bytes(varint());
            case 9, 10 -> {
                int h = u8();
                long size = h >>> 4 == 15 ? varint() : h >>> 4;
                for (long i = 0; i < size; i++) {
                    if ((h & 0x0f) == 1 || (h & 0x0f) == 2) {
                        u8(); // a boolean element is a byte of its own
                    } else {
                        skip(h & 0x0f, depth + 1);
                    }
                }
            }
            case 11 -> {
                long size = varint();
                int kv = size > 0 ? u8() : 0;
                for (long i = 0; i < size; i++) {
                    skip(kv >>> 4, depth + 1);
                    skip(kv & 0x0f, depth + 1);
                }
            }
            case 12 -> {
                int lastId = 0;
                for (int h = u8(); h != 0; h = u8()) {
                    lastId = (h >>> 4) != 0 ? lastId + (h >>> 4) : (int) unzigzag(varint());
                    skip(h & 0x0f, depth + 1);
                }
            }
            default -> throw new IOException("the Parquet footer holds an unknown Thrift type " + type);
        }
    }

    private void bytes(long n) throws IOException {
        if (n < 0 || n > b.length - pos) {
            throw new IOException("the Parquet footer is truncated");
        }
        pos += (int) n;
    }

    private long varint() throws IOException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int x = u8();
            v |= (long) (x & 0x7f) << shift;
            if ((x & 0x80) == 0) {
                return v;
            }
        }
        throw new IOException("the Parquet footer holds a varint too long");
    }

    private int u8() throws IOException {
        if (pos >= b.length) {
            throw new IOException("the Parquet footer is truncated");
        }
        return b[pos++] & 0xff;
    }

    private static long unzigzag(long v) {
        return v >>> 1 ^ -(v & 1);
    }
}
