package dev.exportdesk.verify;

import dev.exportdesk.contract.OutputFormat;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the records in decompressed chunk content: lines for JSON Lines (JSON escapes every
 * newline inside strings), and RFC 4180 records for CSV (newlines inside quotes do not count,
 * the header row does not count).
 */
final class RecordCounter {
    private RecordCounter() {
    }

    static long count(InputStream in, OutputFormat format) throws IOException {
        byte[] buf = new byte[1 << 16];
        long lines = 0;
        boolean quoted = false;
        boolean csv = format == OutputFormat.CSV;
        for (int n; (n = in.read(buf)) > 0; ) {
            for (int i = 0; i < n; i++) {
                byte b = buf[i];
                if (csv && b == '"') {
                    quoted = !quoted;
                } else if (b == '\n' && !quoted) {
                    lines++;
                }
            }
        }
        return csv ? Math.max(0, lines - 1) : lines;
    }
}
