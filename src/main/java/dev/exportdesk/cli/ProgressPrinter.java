package dev.exportdesk.cli;

import dev.exportdesk.engine.ProgressListener;
import dev.exportdesk.engine.runs.RunProgress;
import java.io.PrintWriter;

/** The progress line on long runs: rows/s, chunk n, bytes. Rewritten in place on a terminal. */
final class ProgressPrinter implements ProgressListener {
    private final PrintWriter err;
    private final boolean terminal;
    private final boolean quiet;
    private long lastPrinted;
    private boolean dirty;

    ProgressPrinter(PrintWriter err, boolean quiet) {
        this.err = err;
        this.terminal = System.console() != null;
        this.quiet = quiet;
    }

    @Override
    public void onProgress(RunProgress p) {
        if (quiet) {
            return;
        }
        long now = System.nanoTime();
        if (!terminal && now - lastPrinted < 5_000_000_000L) {
            return;
        }
        lastPrinted = now;
        String line = String.format("%s #%d: %,d rows · chunk %d · %s · %,.0f rows/s", p.contract(), p.sequence(),
                p.rows(), p.chunks(), Format.bytes(p.bytes()), p.rowsPerSecond());
        if (terminal) {
            err.print("\r" + line + "   ");
            dirty = true;
        } else {
            err.println(line);
        }
        err.flush();
    }

    void finish() {
        if (dirty) {
            err.println();
            err.flush();
            dirty = false;
        }
    }
}
