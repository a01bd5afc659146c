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
    private final boolean integersPlain;
    private final char[] printableSpecials;

    CsvEncoder(List<String> columnNames, CsvDialect dialect) {
        this.dialect = dialect;
        this.integersPlain = integersPlain(dialect);
        this.printableSpecials = printableSpecials(dialect);
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
     * Integers are written digit by digit and text the reader found plain ({@link CapturedRow#plain})
     * is copied whole, where the dialect cannot make either need quotes (issue 14: turning each value
     * into a String and copying it character by character was a third of the reading thread).
     */
    @Override
    public void encode(CapturedRow row, RowBuffer out) {
        out.reset();
        Object[] values = row.values();
        for (int i = 0; i < values.length; i++) {
            Object v = values[i];
            if (v == null) {
                out.appendAscii(dialect.nullText());
            } else if (v instanceof Long l && integersPlain) {
                out.appendLong(l);
            } else if (v instanceof String s && row.plain(i) && plainPrintable(s)) {
                out.appendAscii(s);
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

    /**
     * For text known to be printable ASCII without a double quote or backslash: whether it also
     * holds none of the dialect's other printable special characters and is not a field that must
     * be quoted whatever it holds (empty, or the NULL spelling).
     */
    private boolean plainPrintable(String s) {
        if (s.isEmpty() || s.equals(dialect.nullText())) {
            return false;
        }
        for (char c : printableSpecials) {
            if (s.indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    /** ASCII only and nothing {@link CsvDialect#needsQuotes} quotes: written as it is (one pass). */
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

    /** Whether no integer's text (a minus and digits) can need quotes in this dialect. */
    private static boolean integersPlain(CsvDialect dialect) {
        for (char c : specials(dialect)) {
            if (c == '-' || c >= '0' && c <= '9') {
                return false;
            }
        }
        return !dialect.nullText().matches("-?[0-9]+");
    }

    /**
     * The delimiter, quote and escape characters that printable ASCII may hold: the reader's plain
     * text has no control character, double quote or backslash already.
     */
    private static char[] printableSpecials(CsvDialect dialect) {
        StringBuilder sb = new StringBuilder();
        for (char c : specials(dialect)) {
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\' && sb.indexOf(String.valueOf(c)) < 0) {
                sb.append(c);
            }
        }
        return sb.toString().toCharArray();
    }

    /** The characters {@link CsvDialect#needsQuotes} looks for besides CR and LF. */
    private static char[] specials(CsvDialect dialect) {
        return new char[] {dialect.delimiter(), dialect.quote(), dialect.escape()};
    }
}
