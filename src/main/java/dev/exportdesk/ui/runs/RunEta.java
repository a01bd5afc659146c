package dev.exportdesk.ui.runs;

import dev.exportdesk.engine.runs.RunProgress;
import dev.exportdesk.ui.Cells;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * The running-task line of one run: phase, rows read (of the expected total when known; and how
 * many shipped when the lookback skipped some as already shipped), an ETA, chunk n, bytes and rows
 * read per second. The expected total comes from a count at the source over the run's ranges, its
 * lookback re-scan included ({@code GuardedEngine.estimateRunRows}), read once in the background;
 * until it arrives, when it could not be read, or once the run has read more than expected (rows
 * committed after the count), the ETA is "—" rather than a made-up number. No JavaFX: the engine
 * thread formats the line, the estimate is set from the UI thread, hence volatile.
 */
public final class RunEta {
    /** Rates below this (the first instants of a run) would give absurd ETAs. */
    static final double MIN_RATE = 1.0;
    private volatile OptionalLong expected = OptionalLong.empty();

    public void expect(OptionalLong rows) {
        expected = rows;
    }

    public OptionalLong expected() {
        return expected;
    }

    /** Time left at the run's average rate; empty when it cannot honestly be said. */
    public static java.util.Optional<Duration> remaining(long rows, double rowsPerSecond, OptionalLong expected) {
        if (expected.isEmpty() || rowsPerSecond < MIN_RATE || rows > expected.getAsLong()) {
            return java.util.Optional.empty();
        }
        double seconds = (expected.getAsLong() - rows) / rowsPerSecond;
        return java.util.Optional.of(Duration.ofMillis(Math.round(seconds * 1000)));
    }

    public String describe(RunProgress p) {
        OptionalLong total = expected;
        String rows = total.isPresent() && p.rowsRead() <= total.getAsLong()
                ? String.format("%,d of ≈%,d rows", p.rowsRead(), total.getAsLong())
                : String.format("%,d rows", p.rowsRead());
        if (p.rowsRead() != p.rows()) {
            rows += String.format(" (%,d shipped)", p.rows());
        }
        String eta = remaining(p.rowsRead(), p.rowsReadPerSecond(), total).map(RunEta::format).orElse("—");
        // ETA early in the line: the task view cuts long lines at its right edge
        return String.format("%s · %s · ETA %s · chunk %d · %s · %,.0f rows/s", p.phase().label(), rows, eta, p.chunks(),
                Cells.bytes(p.bytes()), p.rowsReadPerSecond());
    }

    /** Share of the expected rows read, for the progress bar; negative (indeterminate) when unknown. */
    public double fraction(RunProgress p) {
        OptionalLong total = expected;
        return total.isEmpty() || total.getAsLong() <= 0 || p.rowsRead() > total.getAsLong() ? -1
                : (double) p.rowsRead() / total.getAsLong();
    }

    /** "45 s", "3 min 05 s", "2 h 07 min". */
    static String format(Duration d) {
        long s = Math.max(0, (d.toMillis() + 999) / 1000);
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return String.format("%d min %02d s", s / 60, s % 60);
        }
        return String.format("%d h %02d min", s / 3600, (s % 3600) / 60);
    }
}
