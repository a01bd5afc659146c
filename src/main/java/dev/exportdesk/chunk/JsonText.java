package dev.exportdesk.chunk;

import java.nio.charset.StandardCharsets;

/**
 * JSON text written straight into a row's bytes, exactly as Jackson's UTF-8 generator writes it
 * with {@code COMBINE_UNICODE_SURROGATES_IN_UTF8} (the delivered bytes are a promise to partners
 * and to the SQL digest; {@code JsonTextTest} compares the two on every kind of character). A
 * string Jackson would treat in a way this does not copy (a lone surrogate) is declined, and the
 * caller encodes that row with Jackson.
 */
final class JsonText {
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    private JsonText() {
    }

    /** Appends {@code s} quoted and escaped; false, with {@code out} unchanged, for a lone surrogate. */
    static boolean appendString(RowBuffer out, String s) {
        int n = s.length();
        byte[] b = out.reserve(6 * n + 2); // a six-byte escape is the longest a char gets
        int p = out.length();
        b[p++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                b[p++] = (byte) c;
            } else if (c < 0x80) {
                p = escape(b, p, c);
            } else if (c < 0x800) {
                b[p++] = (byte) (0xc0 | (c >> 6));
                b[p++] = (byte) (0x80 | (c & 0x3f));
            } else if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c) || i + 1 >= n || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                int cp = Character.toCodePoint(c, s.charAt(++i));
                b[p++] = (byte) (0xf0 | (cp >> 18));
                b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
                b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
                b[p++] = (byte) (0x80 | (cp & 0x3f));
            } else {
                b[p++] = (byte) (0xe0 | (c >> 12));
                b[p++] = (byte) (0x80 | ((c >> 6) & 0x3f));
                b[p++] = (byte) (0x80 | (c & 0x3f));
            }
        }
        b[p++] = '"';
        out.advance(p - out.length());
        return true;
    }

    /**
     * Appends {@code s} quoted, copied whole: only for a String known to be printable ASCII with
     * no quote or backslash ({@link dev.exportdesk.source.CapturedRow#plainText}), whose JSON text is
     * its own characters. Such a String keeps one byte per character, so this is one array copy.
     */
    @SuppressWarnings("deprecation") // getBytes(int, int, byte[], int) drops each char's high byte: none here
    static void appendPlain(RowBuffer out, String s) {
        int n = s.length();
        byte[] b = out.reserve(n + 2);
        int p = out.length();
        b[p] = '"';
        s.getBytes(0, n, b, p + 1);
        b[p + n + 1] = '"';
        out.advance(n + 2);
    }

    private static int escape(byte[] b, int p, char c) {
        b[p++] = '\\';
        switch (c) {
            case '"', '\\' -> b[p++] = (byte) c;
            case '\b' -> b[p++] = 'b';
            case '\t' -> b[p++] = 't';
            case '\n' -> b[p++] = 'n';
            case '\f' -> b[p++] = 'f';
            case '\r' -> b[p++] = 'r';
            default -> {
                b[p++] = 'u';
                b[p++] = '0';
                b[p++] = '0';
                b[p++] = HEX[c >> 4];
                b[p++] = HEX[c & 0xf];
            }
        }
        return p;
    }
}
