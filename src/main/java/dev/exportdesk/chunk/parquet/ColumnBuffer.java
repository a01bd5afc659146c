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
    private final ByteArrayOutputStream values = new ByteArrayOutputStream(1 << 12);
    private final ByteArrayOutputStream levels = new ByteArrayOutputStream(64);
    private int rows;
    private int runLevel = -1;
    private int runLength;
    private int bitByte;
    private int bits;

    ColumnBuffer(String name, ParquetColumn type, boolean optional) {
        this.name = name;
        this.type = type;
        this.optional = optional;
    }

    int rows() {
        return rows;
    }

    long bufferedBytes() {
        return values.size() + levels.size();
    }

    void addNull() {
        level(0);
        rows++;
    }

    void addLong(long v) {
        level(1);
        for (int i = 0; i < 8; i++) {
            values.write((int) (v >>> (8 * i)));
        }
        rows++;
    }

    void addInt(int v) {
        level(1);
        for (int i = 0; i < 4; i++) {
            values.write(v >>> (8 * i));
        }
        rows++;
    }

    void addBoolean(boolean v) {
        level(1);
        if (v) {
            bitByte |= 1 << bits;
        }
        if (++bits == 8) {
            values.write(bitByte);
            bitByte = 0;
            bits = 0;
        }
        rows++;
    }

    void addBytes(byte[] v) {
        level(1);
        addInt0(v.length);
        values.write(v, 0, v.length);
        rows++;
    }

    private void addInt0(int v) {
        for (int i = 0; i < 4; i++) {
            values.write(v >>> (8 * i));
        }
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
            values.write(bitByte);
        }
        endRun();
        ByteArrayOutputStream page = new ByteArrayOutputStream(values.size() + levels.size() + 4);
        if (optional) {
            int n = levels.size();
            page.write(n);
            page.write(n >>> 8);
            page.write(n >>> 16);
            page.write(n >>> 24);
            page.writeBytes(levels.toByteArray());
        }
        page.write(values.toByteArray(), 0, values.size());
        values.reset();
        levels.reset();
        rows = 0;
        runLevel = -1;
        bitByte = 0;
        bits = 0;
        return page.toByteArray();
    }

    static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7fL) != 0) {
            out.write((int) (v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
    }
}
