package dev.exportdesk.engine;

import java.time.Duration;

/** A snapshot of a run in progress, for progress lines and the console's task view. */
public record RunProgress(String runId, String contract, long sequence, String phase, long rows, int chunks,
                          long bytes, Duration elapsed) {

    public double rowsPerSecond() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds <= 0 ? 0 : rows / seconds;
    }
}
