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

    @Override
    public void encode(CapturedRow row, RowBuffer out) {
        out.reset();
        StringBuilder sb = new StringBuilder(256);
        for (Object v : row.values()) {
            if (v != null) {
                appendField(sb, v.toString());
            }
            sb.append(',');
        }
        sb.append(RowEncoder.op(row)).append("\r\n");
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
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
