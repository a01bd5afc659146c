package dev.exportdesk.chunk;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** A reusable byte buffer holding one encoded row; exposes its array to avoid a copy per row. */
public final class RowBuffer extends ByteArrayOutputStream {
    public RowBuffer() {
        super(512);
    }

    public byte[] array() {
        return buf;
    }

    public int length() {
        return count;
    }

    /**
     * Room for {@code n} more bytes, for encoders that write into {@link #array()} at
     * {@link #length()} and then {@link #advance}: ByteArrayOutputStream's write(int) takes a lock
     * per byte.
     */
    byte[] reserve(int n) {
        if (count + n > buf.length) {
            buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, count + n));
        }
        return buf;
    }

    void advance(int n) {
        count += n;
    }

    /** Appends ASCII text that needs no escaping (numbers, literals, pre-encoded names). */
    void appendAscii(String s) {
        int n = s.length();
        byte[] b = reserve(n);
        for (int i = 0; i < n; i++) {
            b[count + i] = (byte) s.charAt(i);
        }
        count += n;
    }

    void append(byte[] bytes) {
        byte[] b = reserve(bytes.length);
        System.arraycopy(bytes, 0, b, count, bytes.length);
        count += bytes.length;
    }

    public void writeTo(OutputStream out) throws IOException {
        out.write(buf, 0, count);
    }
}
