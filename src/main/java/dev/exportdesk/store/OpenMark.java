package dev.exportdesk.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code exportdesk.open} beside an H2 store file while a process has it open: present when the
 * store is opened means the last process to open it never closed it (killed, or the machine went
 * down), and only then is the store searched for what such a stop can leave behind
 * ({@link H2LeftoverCommits}). A store that is not a file (in memory) is always searched: it is small.
 */
final class OpenMark {
    private static final String SUFFIX = ".open";

    private OpenMark() {
    }

    static boolean wasLeftOpen(String jdbcUrl) {
        Path mark = of(jdbcUrl);
        return mark == null || Files.exists(mark);
    }

    static void set(String jdbcUrl) {
        Path mark = of(jdbcUrl);
        if (mark != null && !Files.exists(mark)) {
            try {
                Files.createFile(mark);
            } catch (IOException e) {
                // without the mark the next open after a kill skips the search: say so, and go on
                org.slf4j.LoggerFactory.getLogger(OpenMark.class).warn("cannot mark the state store open ({}): {}",
                        mark, e.toString());
            }
        }
    }

    static void clear(String jdbcUrl) {
        Path mark = of(jdbcUrl);
        if (mark != null) {
            try {
                Files.deleteIfExists(mark);
            } catch (IOException e) {
                // a mark left behind only costs the next open a search
            }
        }
    }

    /** {@code jdbc:h2:file:/…/exportdesk;…} → {@code /…/exportdesk.open}; null for any other URL. */
    private static Path of(String jdbcUrl) {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:h2:file:")) {
            return null;
        }
        String path = jdbcUrl.substring("jdbc:h2:file:".length());
        int semicolon = path.indexOf(';');
        return Path.of((semicolon < 0 ? path : path.substring(0, semicolon)) + SUFFIX);
    }
}
