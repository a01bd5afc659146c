package dev.exportdesk.store;

import java.util.Locale;

/**
 * What a run ships. Stored in {@code runs.mode} and written into the run's manifest as its
 * lowercase {@link #wire()} name, which partners read: those words never change.
 */
public enum RunMode {
    /** Every row of the table (a first export, a re-sync, or a logical contract's table copy). */
    FULL,
    /** The changes since the last run (cursor or change log). */
    INCREMENTAL,
    /** A correction run: re-read the rows verification found and nothing else carries. */
    CORRECTION,
    /**
     * A re-sync from a watermark ({@code resync --from}): an increment whose late-data re-scan starts
     * at the watermark and ships every row it reads, shipped before or not.
     */
    RESEND;

    /** The word in the store and in manifests. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mode a stored or delivered word names. */
    public static RunMode of(String wire) {
        for (RunMode m : values()) {
            if (m.wire().equals(wire)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown run mode: " + wire);
    }
}
