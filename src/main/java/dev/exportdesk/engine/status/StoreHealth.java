package dev.exportdesk.engine.status;

import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.store.StateStore;
import dev.exportdesk.store.StoreSizeSamples.Sample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * State-store health that means something (issue 12 #5): the store file's size, its growth per
 * day, the space left on the volume holding it, and a warning while there is still time to act.
 * Each check samples the size into {@code store_size_samples} (at most hourly, the last day only).
 */
public final class StoreHealth {
    /** Warn when less than this is free: H2 needs room to write new pages before it frees old ones. */
    public static final long MIN_FREE_BYTES = 1L << 30;
    /** …or less than this share of the volume, whichever margin is larger. */
    public static final double MIN_FREE_FRACTION = 0.10;
    /** Warn when, growing as over the last day, the store would fill the volume within this time. */
    public static final Duration FILL_HORIZON = Duration.ofDays(7);
    /** A new size sample at most this often; with {@link #GROWTH_WINDOW}, at most 25 samples are kept. */
    static final Duration SAMPLE_INTERVAL = Duration.ofHours(1);
    /** Growth is measured against the oldest sample of this window; older samples are deleted. */
    static final Duration GROWTH_WINDOW = Duration.ofHours(24);
    /** A younger baseline would extrapolate a few minutes' writes (one run's burst) to a whole day. */
    static final Duration MIN_GROWTH_SPAN = Duration.ofHours(1);
    private static final Duration DAY = Duration.ofDays(1);

    /** When to warn; the console and CLI use {@link #DEFAULT}, tests inject their own. */
    public record Thresholds(long minFreeBytes, double minFreeFraction, Duration fillHorizon) {
        public static final Thresholds DEFAULT = new Thresholds(MIN_FREE_BYTES, MIN_FREE_FRACTION, FILL_HORIZON);

        long margin(long totalBytes) {
            return Math.max(minFreeBytes, (long) (totalBytes * minFreeFraction));
        }
    }

    private final EngineContext ctx;
    private final Thresholds thresholds;

    public StoreHealth(EngineContext ctx, Thresholds thresholds) {
        this.ctx = ctx;
        this.thresholds = thresholds;
    }

    /** Measures now and records a sample when one is due; synchronized so two checks never sample the same hour. */
    public synchronized StoreHealthReport check() {
        StateStore store = ctx.store();
        Path file = ctx.storeFile();
        if (!store.healthy()) {
            return StoreHealthReport.notResponding("The state store did not answer within 2 s, or its file " + file
                    + " was deleted or replaced. If this lasts, close ExportDesk and check that file; restore the "
                    + "workspace's state folder from your backup if it is gone.");
        }
        Instant now = ctx.now();
        if (store.mode() == dev.exportdesk.store.StoreMode.TEAM) {
            return team(store, now);
        }
        long size;
        long usable;
        long total;
        try {
            size = Files.size(file);
            FileStore volume = Files.getFileStore(file);
            usable = volume.getUsableSpace();
            total = volume.getTotalSpace();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot measure the state store " + file + ": " + e.getMessage(), e);
        }
        Optional<Sample> baseline = store.inTransaction(c -> sample(c, now, size));
        Long growth = baseline.filter(b -> !b.at().isAfter(now.minus(MIN_GROWTH_SPAN)))
                .map(b -> Math.round((size - b.sizeBytes()) * (double) DAY.toMillis()
                        / Duration.between(b.at(), now).toMillis()))
                .orElse(null);
        return new StoreHealthReport(true, size, growth, usable, total, warning(file, usable, total, growth));
    }

    /** A team store is a database on a server whose volume this machine cannot see: its size and growth only. */
    private StoreHealthReport team(StateStore store, Instant now) {
        long size = store.inTransaction(c -> store.sizeSamples().databaseBytes(c));
        Optional<Sample> baseline = store.inTransaction(c -> sample(c, now, size));
        Long growth = baseline.filter(b -> !b.at().isAfter(now.minus(MIN_GROWTH_SPAN)))
                .map(b -> Math.round((size - b.sizeBytes()) * (double) DAY.toMillis()
                        / Duration.between(b.at(), now).toMillis()))
                .orElse(null);
        return new StoreHealthReport(true, size, growth, StoreHealthReport.UNKNOWN, StoreHealthReport.UNKNOWN, null);
    }

    /** Keeps the last day's samples, adds one if the newest is an hour old, and returns the oldest. */
    private Optional<Sample> sample(Connection c, Instant now, long size) throws SQLException {
        var samples = ctx.store().sizeSamples();
        samples.keepOnly(c, now.minus(GROWTH_WINDOW), now);
        if (samples.newest(c).map(s -> !s.at().isAfter(now.minus(SAMPLE_INTERVAL))).orElse(true)) {
            samples.record(c, now, size);
        }
        return samples.oldest(c);
    }

    private String warning(Path file, long usable, long total, Long growth) {
        long margin = thresholds.margin(total);
        if (usable < margin) {
            return "Only " + StoreHealthReport.bytes(usable) + " is free on the volume holding the state store ("
                    + file + "), less than the " + StoreHealthReport.bytes(margin) + " ExportDesk keeps as a margin. "
                    + "When the volume is full, runs fail and nothing more is recorded: free space on it, or move "
                    + "the workspace to a larger volume.";
        }
        if (growth != null && growth > 0) {
            double secondsLeft = usable / (double) growth * DAY.toSeconds();
            if (secondsLeft < thresholds.fillHorizon().toSeconds()) {
                return "At +" + StoreHealthReport.bytes(growth) + "/day, the state store would fill the "
                        + StoreHealthReport.bytes(usable) + " left on its volume in " + about(secondsLeft) + ". Free "
                        + "space on that volume, or move the workspace to a larger one, before runs start to fail.";
            }
        }
        return null;
    }

    private static String about(double seconds) {
        if (seconds >= 2 * DAY.toSeconds()) {
            return String.format(Locale.ROOT, "about %d days", Math.round(seconds / DAY.toSeconds()));
        }
        return seconds >= 3600 ? String.format(Locale.ROOT, "about %d hours", Math.round(seconds / 3600))
                : "less than an hour";
    }
}
