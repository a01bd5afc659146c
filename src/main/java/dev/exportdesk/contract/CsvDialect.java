package dev.exportdesk.contract;

/**
 * How CSV chunks are spelled (a contract's {@code csv} object). {@link #DEFAULT} is RFC 4180 with a
 * header and CRLF, NULL as an empty unquoted field: the bytes every CSV contract had before dialects.
 * A field is quoted when it is empty, equals the NULL spelling, or holds the delimiter, the quote,
 * the escape, CR or LF; inside quotes the quote (and the escape) is preceded by the escape.
 */
public record CsvDialect(char delimiter, char quote, char escape, boolean header, LineEnding lineEnding,
                         String nullText) {
    public static final CsvDialect DEFAULT = new CsvDialect(',', '"', '"', true, LineEnding.CRLF, "");
    static final int MAX_NULL = 16;

    public enum LineEnding {
        CRLF("crlf", "\r\n"), LF("lf", "\n");

        private final String jsonName;
        private final String text;

        LineEnding(String jsonName, String text) {
            this.jsonName = jsonName;
            this.text = text;
        }

        public String jsonName() {
            return jsonName;
        }

        public String text() {
            return text;
        }
    }

    public boolean isDefault() {
        return equals(DEFAULT);
    }

    /** The dialect as a contract and a manifest spell it (docs/delivery-format.md, "CSV dialects"). */
    public void write(com.fasterxml.jackson.databind.node.ObjectNode c) {
        c.put("delimiter", String.valueOf(delimiter));
        c.put("quote", String.valueOf(quote));
        c.put("escape", String.valueOf(escape));
        c.put("header", header);
        c.put("line_ending", lineEnding.jsonName());
        c.put("null", nullText);
    }

    /** Whether {@code s} must be quoted to read back as itself. */
    public boolean needsQuotes(String s) {
        if (s.isEmpty() || s.equals(nullText)) {
            return true;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == delimiter || c == quote || c == escape || c == '\r' || c == '\n') {
                return true;
            }
        }
        return false;
    }

    /** {@code s} as one field: quoted, with quote and escape escaped, when {@link #needsQuotes} says so. */
    public void appendField(StringBuilder sb, String s) {
        if (!needsQuotes(s)) {
            sb.append(s);
            return;
        }
        sb.append(quote);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == quote || c == escape) {
                sb.append(escape);
            }
            sb.append(c);
        }
        sb.append(quote);
    }

    /**
     * The fields of one record (its line ending removed): an unquoted field spelled as NULL is null,
     * a quoted one is always text, so NULL and the empty string (or the text "NULL") stay apart.
     */
    public java.util.List<String> fields(String record) {
        java.util.List<String> out = new java.util.ArrayList<>();
        StringBuilder sb = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < record.length(); i++) {
            char c = record.charAt(i);
            if (quoted) {
                if (c == escape && i + 1 < record.length()
                        && (record.charAt(i + 1) == quote || record.charAt(i + 1) == escape)) {
                    sb.append(record.charAt(++i));
                } else if (c == quote) {
                    quoted = false;
                } else {
                    sb.append(c);
                }
            } else if (c == quote) {
                quoted = true;
                wasQuoted = true;
            } else if (c == delimiter) {
                out.add(wasQuoted || !sb.toString().equals(nullText) ? sb.toString() : null);
                sb.setLength(0);
                wasQuoted = false;
            } else {
                sb.append(c);
            }
        }
        out.add(wasQuoted || !sb.toString().equals(nullText) ? sb.toString() : null);
        return out;
    }
}
