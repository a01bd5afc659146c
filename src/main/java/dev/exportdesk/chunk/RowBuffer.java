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
    @SuppressWarnings("deprecation") // getBytes(int, int, byte[], int) drops each char's high byte: none here
    void appendAscii(String s) {
        int n = s.length();
        byte[] b = reserve(n);
        s.getBytes(0, n, b, count); // an ASCII String keeps a byte per character: one array copy
        count += n;
    }

    /** "00" to "99": two digits per division, as Long.toString does. */
    private static final byte[] TWO_DIGITS = new byte[200];

    static {
        for (int i = 0; i < 100; i++) {
            TWO_DIGITS[2 * i] = (byte) ('0' + i / 10);
            TWO_DIGITS[2 * i + 1] = (byte) ('0' + i % 10);
        }
    }

    /**
     * Appends {@code v} in decimal: the bytes of {@link Long#toString(long)} without making that
     * String (issue 14: two per row in the export's profile). Written backwards from the end of a
     * 20-byte reservation, then moved into place.
     */
    void appendLong(long v) {
        if (v == Long.MIN_VALUE) {
            appendAscii(Long.toString(v)); // its magnitude has no positive long
            return;
        }
        byte[] b = reserve(20);
        boolean negative = v < 0;
        long m = negative ? -v : v;
        int p = count + 20;
        while (m > Integer.MAX_VALUE) {
            int r = (int) (m % 100);
            m /= 100;
            b[--p] = TWO_DIGITS[2 * r + 1];
            b[--p] = TWO_DIGITS[2 * r];
        }
        int i = (int) m;
        while (i >= 100) {
            int r = i % 100;
            i /= 100;
            b[--p] = TWO_DIGITS[2 * r + 1];
            b[--p] = TWO_DIGITS[2 * r];
        }
        b[--p] = TWO_DIGITS[2 * i + 1];
        if (i >= 10) {
            b[--p] = TWO_DIGITS[2 * i];
        }
        if (negative) {
            b[--p] = '-';
        }
        int n = count + 20 - p;
        System.arraycopy(b, p, b, count, n);
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
