package dev.exportdesk.partner;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts a chunk's records as its manifest spells them: JSON Lines by line; CSV in the manifest's
 * {@code csv} dialect (RFC 4180 with a header when there is none): records end at an LF outside
 * quotes, a doubled quote or an escaped character stays inside, and the header row is not a record.
 */
final class RecordCount {
    private final boolean csv;
    private final boolean parquet;
    private final byte quote;
    private final byte escape;
    private final boolean header;

    private RecordCount(boolean csv, byte quote, byte escape, boolean header) {
        this(csv, quote, escape, header, false);
    }

    private RecordCount(boolean csv, byte quote, byte escape, boolean header, boolean parquet) {
        this.parquet = parquet;
        this.csv = csv;
        this.quote = quote;
        this.escape = escape;
        this.header = header;
    }

    /** How to count the chunks of manifest {@code m}; a dialect that is not well formed is refused. */
    static RecordCount of(JsonNode m) throws IOException {
        if ("parquet".equals(m.path("file_format").asText())) {
            return new RecordCount(false, (byte) 0, (byte) 0, false, true);
        }
        if (!"csv".equals(m.path("file_format").asText())) {
            return new RecordCount(false, (byte) 0, (byte) 0, false);
        }
        JsonNode d = m.get("csv");
        if (d == null) {
            return new RecordCount(true, (byte) '"', (byte) 0, true);
        }
        if (!d.isObject() || !d.path("header").isBoolean()) {
            throw new IOException("manifest field \"csv\" is not a CSV dialect");
        }
        byte q = ascii(d, "quote");
        byte e = ascii(d, "escape");
        return new RecordCount(true, q, e == q ? 0 : e, d.get("header").asBoolean());
    }

    private static byte ascii(JsonNode d, String field) throws IOException {
        String s = d.path(field).asText("");
        if (s.length() != 1 || s.charAt(0) <= 0x20 || s.charAt(0) >= 0x7f) {
            throw new IOException("manifest field \"csv." + field + "\" is not one printable ASCII character");
        }
        return (byte) s.charAt(0);
    }

    /**
     * Parquet chunks are not counted here: their content is the canonical JSON Lines of their rows,
     * which takes the engine's decoder; this standalone verifier checks their bytes' hashes.
     */
    boolean parquet() {
        return parquet;
    }

    long count(InputStream in) throws IOException {
        byte[] buf = new byte[1 << 16];
        long lines = 0;
        boolean quoted = false;
        boolean escaped = false;
        for (int n; (n = in.read(buf)) > 0; ) {
            for (int i = 0; i < n; i++) {
                byte b = buf[i];
                if (!csv) {
                    lines += b == '\n' ? 1 : 0;
                } else if (escaped) {
                    escaped = false;
                } else if (quoted && escape != 0 && b == escape) {
                    escaped = true;
                } else if (b == quote) {
                    quoted = !quoted;
                } else if (b == '\n' && !quoted) {
                    lines++;
                }
            }
        }
        return csv && header ? Math.max(0, lines - 1) : lines;
    }
}
