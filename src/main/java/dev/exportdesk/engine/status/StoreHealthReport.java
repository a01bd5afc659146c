package dev.exportdesk.engine.status;

import java.util.Locale;
import java.util.Optional;

/**
 * The state store's health as {@link StoreHealth} measured it, for the console's status bar and
 * {@code exportdesk status}: the store file's size, its growth per day (null until a sample at
 * least an hour old exists), the space left on its volume, and the warning sentence, if any.
 */
public record StoreHealthReport(boolean responding, long sizeBytes, Long growthPerDay, long usableBytes,
                                long totalBytes, String warning) {

    /** The free and total space of a team store's volume: on the database server, not known here. */
    public static final long UNKNOWN = -1;

    static StoreHealthReport notResponding(String warning) {
        return new StoreHealthReport(false, 0, null, 0, 0, warning);
    }

    public Optional<String> warningText() {
        return Optional.ofNullable(warning);
    }

    /**
     * One line for the status bar and the CLI, e.g. {@code 68 MB, +3.2 MB/day, 41 GB free}; the growth
     * is left out while not known (the status bar has no room to spare at 1024 px).
     */
    public String summary() {
        if (!responding) {
            return "NOT RESPONDING";
        }
        String growth = growthPerDay == null ? ""
                : ", " + (growthPerDay < 0 ? "-" : "+") + bytes(Math.abs(growthPerDay)) + "/day";
        return bytes(sizeBytes) + growth + (usableBytes == UNKNOWN ? " (shared)" : ", " + bytes(usableBytes) + " free");
    }

    /** Decimal units as disk tools show them (68 MB, 41 GB); one decimal below ten. */
    public static String bytes(long n) {
        String[] units = {"B", "kB", "MB", "GB", "TB", "PB"};
        double v = n;
        int u = 0;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return u == 0 || v >= 10 ? String.format(Locale.ROOT, "%.0f %s", v, units[u])
                : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
