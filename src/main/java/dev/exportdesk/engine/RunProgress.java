package dev.exportdesk.engine;

import java.time.Duration;

/**
 * A snapshot of a run in progress, for progress lines and the console's task view. {@code rows} are
 * shipped; {@code rowsRead} were read at the source, shipped or not: the lookback re-scan reads
 * rows it skips as already shipped, and the console's ETA measures reading.
 */
public record RunProgress(String runId, String contract, long sequence, String phase, long rows, long rowsRead,
                          int chunks, long bytes, Duration elapsed) {

    /** A run that ships every row it reads (a correction run). */
    public RunProgress(String runId, String contract, long sequence, String phase, long rows, int chunks, long bytes,
                       Duration elapsed) {
        this(runId, contract, sequence, phase, rows, rows, chunks, bytes, elapsed);
    }

    public double rowsPerSecond() {
        return perSecond(rows);
    }

    public double rowsReadPerSecond() {
        return perSecond(rowsRead);
    }

    private double perSecond(long count) {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds <= 0 ? 0 : count / seconds;
    }
}
