package dev.exportdesk.engine.runs;

import java.time.Duration;

/**
 * A snapshot of a run in progress, for progress lines and the console's task view. {@code rows} are
 * shipped; {@code rowsRead} were read at the source, shipped or not: the lookback re-scan reads
 * rows it skips as already shipped, and the console's ETA measures reading. Both include the rows
 * of chunks earlier attempts sealed ({@code carried}); {@code elapsed} is this attempt's time, so
 * the rates count this attempt's rows only.
 */
public record RunProgress(String runId, String contract, long sequence, Phase phase, long rows, long rowsRead,
                          int chunks, long bytes, Duration elapsed, Carried carried) {

    /** What the run is doing: capturing changes (any capture source), or a correction's keyed re-read. */
    public enum Phase {
        CAPTURE, CORRECT;

        /** The word progress lines start with. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The chunks earlier attempts of the run sealed, which this attempt took over, and their rows. */
    public record Carried(int chunks, long rows) {
        public static final Carried NONE = new Carried(0, 0);
    }

    /** A first attempt. */
    public RunProgress(String runId, String contract, long sequence, Phase phase, long rows, long rowsRead,
                       int chunks, long bytes, Duration elapsed) {
        this(runId, contract, sequence, phase, rows, rowsRead, chunks, bytes, elapsed, Carried.NONE);
    }

    /** A first attempt that ships every row it reads. */
    public RunProgress(String runId, String contract, long sequence, Phase phase, long rows, int chunks, long bytes,
                       Duration elapsed) {
        this(runId, contract, sequence, phase, rows, rows, chunks, bytes, elapsed);
    }

    public double rowsPerSecond() {
        return perSecond(rows - carried.rows());
    }

    public double rowsReadPerSecond() {
        return perSecond(rowsRead - carried.rows());
    }

    private double perSecond(long count) {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds <= 0 ? 0 : count / seconds;
    }
}
