package dev.exportdesk.chunk;

import dev.exportdesk.contract.CsvDialect;
import dev.exportdesk.source.CapturedRow;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * CSV in the contract's {@link CsvDialect}; by default RFC 4180: a header row, CRLF line ends,
 * fields quoted when they contain a comma, quote, CR or LF. NULL is the dialect's NULL spelling
 * unquoted (by default an empty field); the empty string is always quoted ({@code ""}), and so is
 * text equal to the NULL spelling, so the two stay apart.
 */
final class CsvEncoder implements RowEncoder {
    private final CsvDialect dialect;
    private final String delimiter;
    private final byte[] header;

    CsvEncoder(List<String> columnNames, CsvDialect dialect) {
        this.dialect = dialect;
        this.delimiter = String.valueOf(dialect.delimiter());
        StringBuilder sb = new StringBuilder();
        if (dialect.header()) {
            for (String name : columnNames) {
                dialect.appendField(sb, name);
                sb.append(dialect.delimiter());
            }
            sb.append("_op").append(dialect.lineEnding().text());
        }
        this.header = sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] header() {
        return header.clone();
    }

    /**
     * Written into the row's bytes directly; a field that needs quoting or holds non-ASCII text goes
     * through {@link CsvDialect#appendField} and UTF-8 (CsvEncoderTest keeps the two byte-identical).
     */
    @Override
    public void encode(CapturedRow row, RowBuffer out) {
        out.reset();
        for (Object v : row.values()) {
            if (v == null) {
                out.appendAscii(dialect.nullText());
            } else {
                String s = v.toString();
                if (!plainAscii(s)) {
                    StringBuilder sb = new StringBuilder(s.length() + 8);
                    dialect.appendField(sb, s);
                    out.append(sb.toString().getBytes(StandardCharsets.UTF_8));
                } else {
                    out.appendAscii(s);
                }
            }
            out.appendAscii(delimiter);
        }
        out.appendAscii(RowEncoder.op(row));
        out.appendAscii(dialect.lineEnding().text());
    }

    /** ASCII only and nothing {@link CsvDialect#needsQuotes} quotes: written as it is (one pass, the hot path). */
    private boolean plainAscii(String s) {
        int n = s.length();
        if (n == 0 || s.equals(dialect.nullText())) {
            return false;
        }
        char d = dialect.delimiter();
        char q = dialect.quote();
        char e = dialect.escape();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80 || c == d || c == q || c == e || c == '\r' || c == '\n') {
                return false;
            }
        }
        return true;
    }
}
