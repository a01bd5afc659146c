package dev.exportdesk.chunk;

import dev.exportdesk.source.CapturedRow;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * RFC 4180 CSV: a header row, CRLF line ends, fields quoted when they contain a comma, quote, CR
 * or LF. NULL is an empty unquoted field; the empty string is {@code ""}, so the two stay apart.
 */
final class CsvEncoder implements RowEncoder {
    private final byte[] header;

    CsvEncoder(List<String> columnNames) {
        StringBuilder sb = new StringBuilder();
        for (String name : columnNames) {
            appendField(sb, name);
            sb.append(',');
        }
        sb.append("_op\r\n");
        this.header = sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] header() {
        return header.clone();
    }

    /**
     * Written into the row's bytes directly; a field that needs quoting or holds non-ASCII text goes
     * through {@link #appendField} and UTF-8, as every field did before (CsvEncoderTest keeps the two
     * byte-identical).
     */
    @Override
    public void encode(CapturedRow row, RowBuffer out) {
        out.reset();
        for (Object v : row.values()) {
            if (v != null) {
                String s = v.toString();
                if (!plainAscii(s)) {
                    StringBuilder sb = new StringBuilder(s.length() + 8);
                    appendField(sb, s);
                    out.append(sb.toString().getBytes(StandardCharsets.UTF_8));
                } else {
                    out.appendAscii(s);
                }
            }
            out.appendAscii(",");
        }
        out.appendAscii(RowEncoder.op(row));
        out.appendAscii("\r\n");
    }

    /** Non-empty, ASCII only, and nothing RFC 4180 quotes: written as it is. */
    private static boolean plainAscii(String s) {
        int n = s.length();
        if (n == 0) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80 || c == ',' || c == '"' || c == '\r' || c == '\n') {
                return false;
            }
        }
        return true;
    }

    private static void appendField(StringBuilder sb, String s) {
        boolean quote = s.isEmpty();
        for (int i = 0; i < s.length() && !quote; i++) {
            char c = s.charAt(i);
            quote = c == ',' || c == '"' || c == '\r' || c == '\n';
        }
        if (!quote) {
            sb.append(s);
            return;
        }
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                sb.append('"');
            }
            sb.append(c);
        }
        sb.append('"');
    }
}
