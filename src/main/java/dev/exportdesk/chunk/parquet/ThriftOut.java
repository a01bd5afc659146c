package dev.exportdesk.chunk.parquet;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The Thrift compact protocol, write side, for the few structures a Parquet file's page headers and
 * footer need. Fields are written in the order the caller gives, so the same calls give the same bytes.
 */
final class ThriftOut {
    static final int BOOL_TRUE = 1;
    static final int BOOL_FALSE = 2;
    static final int I32 = 5;
    static final int I64 = 6;
    static final int BINARY = 8;
    static final int LIST = 9;
    static final int STRUCT = 12;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    private final Deque<Integer> lastIds = new ArrayDeque<>();
    private int lastId;

    byte[] toByteArray() {
        return out.toByteArray();
    }

    private void fieldHeader(int id, int type) {
        int delta = id - lastId;
        if (delta > 0 && delta <= 15) {
            out.write(delta << 4 | type);
        } else {
            out.write(type);
            varint(zigzag(id));
        }
        lastId = id;
    }

    ThriftOut i32(int id, int v) {
        fieldHeader(id, I32);
        varint(zigzag(v));
        return this;
    }

    ThriftOut i64(int id, long v) {
        fieldHeader(id, I64);
        varint(zigzag(v));
        return this;
    }

    ThriftOut bool(int id, boolean v) {
        fieldHeader(id, v ? BOOL_TRUE : BOOL_FALSE);
        return this;
    }

    ThriftOut string(int id, String v) {
        fieldHeader(id, BINARY);
        bytes(v.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** Opens a struct field; close it with {@link #end()}. */
    ThriftOut struct(int id) {
        fieldHeader(id, STRUCT);
        return begin();
    }

    /** Opens a struct that is a list element (no field header). */
    ThriftOut begin() {
        lastIds.push(lastId);
        lastId = 0;
        return this;
    }

    ThriftOut end() {
        out.write(0);
        lastId = lastIds.isEmpty() ? 0 : lastIds.pop();
        return this;
    }

    /** A list field header; the caller then writes {@code size} elements of {@code elementType}. */
    ThriftOut list(int id, int elementType, int size) {
        fieldHeader(id, LIST);
        if (size < 15) {
            out.write(size << 4 | elementType);
        } else {
            out.write(0xf0 | elementType);
            varint(size);
        }
        return this;
    }

    /** A list element of type I32. */
    ThriftOut i32Element(int v) {
        varint(zigzag(v));
        return this;
    }

    ThriftOut stringElement(String v) {
        bytes(v.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    private void bytes(byte[] b) {
        varint(b.length);
        out.write(b, 0, b.length);
    }

    private void varint(long v) {
        while ((v & ~0x7fL) != 0) {
            out.write((int) (v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static long zigzag(long v) {
        return v << 1 ^ v >> 63;
    }
}
