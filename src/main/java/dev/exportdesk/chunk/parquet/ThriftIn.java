package dev.exportdesk.chunk.parquet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Thrift compact protocol, read side: a struct becomes a map from field id to value (Long,
 * Boolean, byte[], List or a nested map). The bytes may come from anywhere, so sizes and depth are
 * bounded and a malformed structure is an {@link IOException}, never a loop or a huge allocation.
 */
final class ThriftIn {
    private static final int MAX_DEPTH = 16;
    private static final int MAX_LIST = 1 << 20;

    private final byte[] b;
    private int pos;

    ThriftIn(byte[] b, int offset) {
        this.b = b;
        this.pos = offset;
    }

    int position() {
        return pos;
    }

    Map<Integer, Object> struct() throws IOException {
        return struct(0);
    }

    private Map<Integer, Object> struct(int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new IOException("Thrift structure nested too deep");
        }
        Map<Integer, Object> fields = new HashMap<>();
        int lastId = 0;
        while (true) {
            int h = u8();
            if (h == 0) {
                return fields;
            }
            int type = h & 0x0f;
            int delta = h >>> 4;
            int id = delta != 0 ? lastId + delta : (int) unzigzag(varint());
            lastId = id;
            fields.put(id, value(type, depth));
        }
    }

    private Object value(int type, int depth) throws IOException {
        return switch (type) {
            case 1 -> Boolean.TRUE;
            case 2 -> Boolean.FALSE;
            case 3 -> (long) (byte) u8();
            case 4, 5, 6 -> unzigzag(varint());
            case 7 -> {
                need(8);
                pos += 8;
                yield 0L;
            }
            case 8 -> binary();
            case 9, 10 -> list(depth);
            case 12 -> struct(depth + 1);
            default -> throw new IOException("unsupported Thrift type " + type);
        };
    }

    private List<Object> list(int depth) throws IOException {
        int h = u8();
        int type = h & 0x0f;
        long size = h >>> 4;
        if (size == 15) {
            size = varint();
        }
        if (size > MAX_LIST || size > b.length - pos) {
            throw new IOException("Thrift list of " + size + " elements is longer than its bytes");
        }
        List<Object> out = new ArrayList<>((int) size);
        for (int i = 0; i < size; i++) {
            out.add(type == 1 || type == 2 ? (Object) (u8() == 1) : value(type, depth + 1));
        }
        return out;
    }

    private byte[] binary() throws IOException {
        long n = varint();
        if (n < 0 || n > b.length - pos) {
            throw new IOException("Thrift string of " + n + " bytes runs past its structure");
        }
        byte[] out = new byte[(int) n];
        System.arraycopy(b, pos, out, 0, (int) n);
        pos += (int) n;
        return out;
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
        throw new IOException("Thrift varint too long");
    }

    private int u8() throws IOException {
        need(1);
        return b[pos++] & 0xff;
    }

    private void need(int n) throws IOException {
        if (pos + n > b.length) {
            throw new IOException("Thrift structure truncated");
        }
    }

    private static long unzigzag(long v) {
        return v >>> 1 ^ -(v & 1);
    }

    static long i64(Map<Integer, Object> s, int id) throws IOException {
        if (!(s.get(id) instanceof Long v)) {
            throw new IOException("Parquet metadata field " + id + " missing or not a number");
        }
        return v;
    }

    static String string(Map<Integer, Object> s, int id) throws IOException {
        if (!(s.get(id) instanceof byte[] v)) {
            throw new IOException("Parquet metadata field " + id + " missing or not a string");
        }
        return new String(v, StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    static Map<Integer, Object> structField(Map<Integer, Object> s, int id) {
        return s.get(id) instanceof Map<?, ?> m ? (Map<Integer, Object>) m : null;
    }

    @SuppressWarnings("unchecked")
    static List<Object> listField(Map<Integer, Object> s, int id) throws IOException {
        if (!(s.get(id) instanceof List<?> l)) {
            throw new IOException("Parquet metadata field " + id + " missing or not a list");
        }
        return (List<Object>) l;
    }
}
