package dev.exportdesk.ui.dashboard;

import javafx.scene.chart.NumberAxis;

/**
 * Fits a number axis that counts things (run numbers, verification passes, attempts) to whole-number
 * ticks. Auto-ranging picks the tick unit for continuous values, so three runs were drawn against
 * ticks at 0.75, 1.25, 1.5…: runs that do not exist.
 */
final class WholeNumberAxis {
    /** At most about this many ticks, so a long history stays readable. */
    private static final int MAX_TICKS = 10;

    private WholeNumberAxis() {
    }

    /** Ranges {@code axis} from {@code lower} to {@code upper}, widened to a step of 1, 2, 5, 10, 20, 50… */
    static void fit(NumberAxis axis, long lower, long upper) {
        long unit = unit(upper - lower);
        axis.setAutoRanging(false);
        axis.setMinorTickVisible(false);
        axis.setTickUnit(unit);
        axis.setLowerBound(Math.floorDiv(lower, unit) * unit);
        axis.setUpperBound(-Math.floorDiv(-upper, unit) * unit);
    }

    static long unit(long span) {
        for (long decade = 1; ; decade *= 10) {
            for (long step : new long[] {1, 2, 5}) {
                if (span <= MAX_TICKS * step * decade) {
                    return step * decade;
                }
            }
        }
    }
}
