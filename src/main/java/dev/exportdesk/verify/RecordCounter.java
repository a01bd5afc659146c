package dev.exportdesk.verify;

import dev.exportdesk.contract.CsvDialect;
import dev.exportdesk.contract.FileFormat;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the records in decompressed chunk content: lines for JSON Lines (JSON escapes every
 * newline inside strings), and CSV records in the chunk's dialect (newlines inside quotes do not
 * count, nor does the header row when there is one).
 */
final class RecordCounter {
    private RecordCounter() {
    }

    static long count(InputStream in, FileFormat format) throws IOException {
        byte[] buf = new byte[1 << 16];
        long lines = 0;
        RecordEnds ends = format.isCsv() ? new RecordEnds(format.dialect()) : null;
        for (int n; (n = in.read(buf)) > 0; ) {
            for (int i = 0; i < n; i++) {
                if (ends == null ? buf[i] == '\n' : ends.endsRecord(buf[i])) {
                    lines++;
                }
            }
        }
        return format.isCsv() && format.dialect().header() ? Math.max(0, lines - 1) : lines;
    }

    /**
     * Where CSV records end, byte by byte: at an LF outside quotes. Inside quotes a quote closes the
     * field (a doubled one reopens it at once) and, when the escape is another character, the escape
     * takes the next byte literally. The dialect's characters are ASCII, so UTF-8 text never fools it.
     */
    static final class RecordEnds {
        private final byte quote;
        private final byte escape;
        private boolean quoted;
        private boolean escaped;

        RecordEnds(CsvDialect dialect) {
            this.quote = (byte) dialect.quote();
            this.escape = dialect.escape() == dialect.quote() ? 0 : (byte) dialect.escape();
        }

        boolean endsRecord(byte b) {
            if (escaped) {
                escaped = false;
            } else if (quoted && escape != 0 && b == escape) {
                escaped = true;
            } else if (b == quote) {
                quoted = !quoted;
            } else {
                return b == '\n' && !quoted;
            }
            return false;
        }
    }
}
