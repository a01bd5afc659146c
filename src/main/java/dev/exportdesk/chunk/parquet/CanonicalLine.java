package dev.exportdesk.chunk.parquet;

import com.fasterxml.jackson.core.io.SerializedString;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reads back one canonical JSON Lines line (docs/delivery-format.md) — the exact shape the chunk's
 * encoder wrote: the columns' names in order, then {@code _op}. Written for speed (a general JSON
 * parser per row cost more than all of Parquet's encoding and compression) and strict: any other
 * shape is an {@link IOException}, never a guess.
 */
final class CanonicalLine {
    private final byte[][] prefixes;
    private final byte[] opPrefix = ",\"_op\":\"".getBytes(StandardCharsets.US_ASCII);
    private final ByteArrayOutputStream unescaped = new ByteArrayOutputStream(64);
    private byte[] b;
    private int pos;
    private int end;

    CanonicalLine(List<String> names) {
        prefixes = new byte[names.size()][];
        for (int i = 0; i < prefixes.length; i++) {
            byte[] quoted = new SerializedString(names.get(i)).asQuotedUTF8();
            byte[] p = new byte[quoted.length + 4];
            p[0] = (byte) (i == 0 ? '{' : ',');
            p[1] = '"';
            System.arraycopy(quoted, 0, p, 2, quoted.length);
            p[p.length - 2] = '"';
            p[p.length - 1] = ':';
            prefixes[i] = p;
        }
    }

    /** Starts reading the line {@code bytes[offset, offset + length)} (no line break). */
    void start(byte[] bytes, int offset, int length) {
        this.b = bytes;
        this.pos = offset;
        this.end = offset + length;
    }

    /** Moves past column {@code i}'s name; the value follows. */
    void name(int i) throws IOException {
        expect(prefixes[i]);
    }

    boolean nextIsNull() throws IOException {
        if (pos + 4 <= end && b[pos] == 'n' && b[pos + 1] == 'u' && b[pos + 2] == 'l' && b[pos + 3] == 'l') {
            pos += 4;
            return true;
        }
        return false;
    }

    boolean nextIsString() {
        return pos < end && b[pos] == '"';
    }

    boolean bool() throws IOException {
        if (pos + 4 <= end && b[pos] == 't' && b[pos + 1] == 'r' && b[pos + 2] == 'u' && b[pos + 3] == 'e') {
            pos += 4;
            return true;
        }
        if (pos + 5 <= end && b[pos] == 'f' && b[pos + 1] == 'a' && b[pos + 2] == 'l' && b[pos + 3] == 's'
                && b[pos + 4] == 'e') {
            pos += 5;
            return false;
        }
        throw fail("true or false");
    }

    /** A JSON number's text (ASCII). */
    String number() throws IOException {
        int from = pos;
        while (pos < end && b[pos] != ',' && b[pos] != '}') {
            byte c = b[pos];
            if (!(c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E')) {
                throw fail("a number");
            }
            pos++;
        }
        if (pos == from) {
            throw fail("a number");
        }
        return new String(b, from, pos - from, StandardCharsets.US_ASCII);
    }

    long integer() throws IOException {
        int from = pos;
        boolean negative = pos < end && b[pos] == '-';
        if (negative) {
            pos++;
        }
        long v = 0;
        int digits = 0;
        while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
            if (++digits > 18) { // past what cannot overflow: the general path takes it
                pos = from;
                return Long.parseLong(number());
            }
            v = v * 10 + (b[pos++] - '0');
        }
        if (digits == 0) {
            throw fail("a whole number");
        }
        return negative ? -v : v;
    }

    /** A JSON string's value as UTF-8 bytes. */
    byte[] string() throws IOException {
        if (!nextIsString()) {
            throw fail("a string");
        }
        int from = ++pos;
        while (pos < end && b[pos] != '"' && b[pos] != '\\') {
            pos++;
        }
        if (pos < end && b[pos] == '"') {
            byte[] v = new byte[pos - from];
            System.arraycopy(b, from, v, 0, v.length);
            pos++;
            return v;
        }
        unescaped.reset();
        unescaped.write(b, from, pos - from);
        while (pos < end && b[pos] != '"') {
            if (b[pos] != '\\') {
                unescaped.write(b[pos++]);
                continue;
            }
            if (pos + 1 >= end) {
                throw fail("an escape");
            }
            byte e = b[pos + 1];
            pos += 2;
            switch (e) {
                case '"', '\\', '/' -> unescaped.write(e);
                case 'b' -> unescaped.write('\b');
                case 'f' -> unescaped.write('\f');
                case 'n' -> unescaped.write('\n');
                case 'r' -> unescaped.write('\r');
                case 't' -> unescaped.write('\t');
                case 'u' -> {
                    char c = hex4();
                    String s;
                    if (Character.isHighSurrogate(c) && pos + 6 <= end && b[pos] == '\\' && b[pos + 1] == 'u') {
                        pos += 2;
                        s = new String(new char[] {c, hex4()});
                    } else {
                        s = String.valueOf(c);
                    }
                    unescaped.writeBytes(s.getBytes(StandardCharsets.UTF_8));
                }
                default -> throw fail("a JSON escape");
            }
        }
        if (pos >= end) {
            throw fail("the string's closing quote");
        }
        pos++;
        return unescaped.toByteArray();
    }

    String text() throws IOException {
        return new String(string(), StandardCharsets.UTF_8);
    }

    /** After the last column: {@code ,"_op":"…"}} to the line's end; true for a delete. */
    boolean op() throws IOException {
        expect(opPrefix);
        String op = pos + 8 == end ? new String(b, pos, 6, StandardCharsets.US_ASCII) : "";
        if (!op.equals("upsert") && !op.equals("delete") || b[pos + 6] != '"' || b[pos + 7] != '}') {
            throw fail("\"upsert\"} or \"delete\"}");
        }
        pos = end;
        return op.equals("delete");
    }

    private char hex4() throws IOException {
        if (pos + 4 > end) {
            throw fail("four hex digits");
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(b[pos++], 16);
            if (d < 0) {
                throw fail("four hex digits");
            }
            v = v << 4 | d;
        }
        return (char) v;
    }

    private void expect(byte[] bytes) throws IOException {
        if (pos + bytes.length > end) {
            throw fail(new String(bytes, StandardCharsets.UTF_8));
        }
        for (byte x : bytes) {
            if (b[pos++] != x) {
                throw fail(new String(bytes, StandardCharsets.UTF_8));
            }
        }
    }

    private IOException fail(String what) {
        return new IOException("a chunk row is not canonical JSON Lines: expected " + what + " at byte " + pos);
    }
}
