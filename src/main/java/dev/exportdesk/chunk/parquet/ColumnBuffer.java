package dev.exportdesk.chunk.parquet;

import java.io.ByteArrayOutputStream;

/**
 * One column's values in the current row group: PLAIN-encoded values of the non-null rows and,
 * for an optional column, the definition levels as RLE runs (1 = value, 0 = NULL).
 */
final class ColumnBuffer {
    final String name;
    final ParquetColumn type;
    final boolean optional;
    /** A {@link ParquetColumn#DECIMAL}'s precision and scale (0 for every other type). */
    final int precision;
    final int scale;
    private final Bytes values = new Bytes();
    private final ByteArrayOutputStream levels = new ByteArrayOutputStream(64);
    private int rows;
    private int runLevel = -1;
    private int runLength;
    private int bitByte;
    private int bits;

    ColumnBuffer(String name, ParquetColumn type, boolean optional) {
        this(name, type, optional, 0, 0);
    }

    ColumnBuffer(String name, ParquetColumn type, boolean optional, int precision, int scale) {
        this.name = name;
        this.type = type;
        this.optional = optional;
        this.precision = precision;
        this.scale = scale;
    }

    int rows() {
        return rows;
    }

    long bufferedBytes() {
        return values.size + levels.size();
    }

    void addNull() {
        level(0);
        rows++;
    }

    void addLong(long v) {
        level(1);
        values.putLong(v);
        rows++;
    }

    void addInt(int v) {
        level(1);
        values.putInt(v);
        rows++;
    }

    void addBoolean(boolean v) {
        level(1);
        if (v) {
            bitByte |= 1 << bits;
        }
        if (++bits == 8) {
            values.put(new byte[] {(byte) bitByte});
            bitByte = 0;
            bits = 0;
        }
        rows++;
    }

    void addBytes(byte[] v) {
        level(1);
        values.putInt(v.length);
        values.put(v);
        rows++;
    }

    private void level(int level) {
        if (!optional) {
            return;
        }
        if (level != runLevel) {
            endRun();
            runLevel = level;
        }
        runLength++;
    }

    private void endRun() {
        if (runLength > 0) {
            varint(levels, (long) runLength << 1); // an RLE run: count, then the level in one byte
            levels.write(runLevel);
        }
        runLength = 0;
    }

    /** The page body (levels, then values) of the rows so far; resets the buffer for the next row group. */
    byte[] page() {
        if (bits > 0) {
            values.put(new byte[] {(byte) bitByte});
        }
        endRun();
        ByteArrayOutputStream page = new ByteArrayOutputStream(values.size + levels.size() + 4);
        if (optional) {
            int n = levels.size();
            page.write(n);
            page.write(n >>> 8);
            page.write(n >>> 16);
            page.write(n >>> 24);
            page.writeBytes(levels.toByteArray());
        }
        page.write(values.array, 0, values.size);
        values.size = 0;
        levels.reset();
        rows = 0;
        runLevel = -1;
        bitByte = 0;
        bits = 0;
        return page.toByteArray();
    }

    /**
     * A growable little-endian byte array: ByteArrayOutputStream locks on every call, and a column
     * takes several calls per row.
     */
    private static final class Bytes {
        private byte[] array = new byte[1 << 12];
        private int size;

        private void room(int n) {
            if (size + n > array.length) {
                array = java.util.Arrays.copyOf(array, Math.max(array.length * 2, size + n));
            }
        }

        void putLong(long v) {
            room(8);
            for (int i = 0; i < 8; i++) {
                array[size++] = (byte) (v >>> (8 * i));
            }
        }

        void putInt(int v) {
            room(4);
            for (int i = 0; i < 4; i++) {
                array[size++] = (byte) (v >>> (8 * i));
            }
        }

        void put(byte[] b) {
            room(b.length);
            System.arraycopy(b, 0, array, size, b.length);
            size += b.length;
        }
    }

    static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7fL) != 0) {
            out.write((int) (v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
    }
}
