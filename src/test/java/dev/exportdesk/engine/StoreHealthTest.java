package dev.exportdesk.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.engine.status.StoreHealth;
import dev.exportdesk.engine.status.StoreHealthReport;
import dev.exportdesk.store.Workspace;
import dev.exportdesk.testing.SteppedClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 #5 on a real H2 workspace and its real file system: the store file's size, growth per
 * day from the samples the checks themselves recorded (the clock is the test's), a history that
 * stays bounded, and both warnings, triggered by thresholds passed to the constructor.
 */
class StoreHealthTest {
    /** Never warns: no margin, and a store growing by the volume's size each day still has a day left. */
    private static final StoreHealth.Thresholds QUIET = new StoreHealth.Thresholds(0, 0, Duration.ZERO);
    @TempDir
    Path dir;
    final SteppedClock clock = new SteppedClock(Instant.parse("2025-01-10T08:00:00Z"));
    Workspace workspace;
    EngineContext ctx;

    @BeforeEach
    void open() {
        workspace = Workspace.open(dir.resolve("ws"));
        ctx = EngineContext.forWorkspace(workspace, Map.of(), clock, "test", millis -> { });
    }

    @AfterEach
    void close() {
        workspace.close();
    }

    @Test
    void sizeAndFreeSpaceAreMeasuredAndGrowthComesFromTheRecordedSamples() throws Exception {
        StoreHealth health = new StoreHealth(ctx, QUIET);
        StoreHealthReport first = health.check();
        assertThat(first.responding()).isTrue();
        // recording the sample may have written a page since
        assertThat(first.sizeBytes()).isPositive().isCloseTo(Files.size(workspace.storeFile()),
                org.assertj.core.data.Offset.offset(64L << 10));
        assertThat(first.usableBytes()).isPositive().isLessThanOrEqualTo(first.totalBytes());
        assertThat(first.usableBytes()).isCloseTo(Files.getFileStore(workspace.storeFile()).getUsableSpace(),
                org.assertj.core.data.Offset.offset(64L << 20));
        assertThat(first.growthPerDay()).as("a single sample: no growth yet").isNull();
        assertThat(first.warningText()).isEmpty();
        assertThat(first.summary()).matches("\\d+(\\.\\d)? [kM]B, \\d+(\\.\\d)? [kMGT]B free");

        clock.advance(Duration.ofMinutes(30));
        assertThat(health.check().growthPerDay()).as("the only baseline is 30 min old: too short to say").isNull();
        assertThat(samples()).as("at most one sample an hour").isEqualTo(1);

        clock.advance(Duration.ofMinutes(330));
        grow(8);
        StoreHealthReport later = health.check();
        assertThat(later.sizeBytes()).isGreaterThan(first.sizeBytes() + (6L << 20));
        assertThat(later.growthPerDay()).as("six hours' growth, four times over")
                .isEqualTo(4 * (later.sizeBytes() - first.sizeBytes()));
        assertThat(later.summary()).contains(", +" + StoreHealthReport.bytes(later.growthPerDay()) + "/day, ");
        assertThat(samples()).isEqualTo(2);

        // three more days, checked every 20 minutes as a console would (every 15 s, sampling hourly)
        for (int i = 0; i < 3 * 72; i++) {
            clock.advance(Duration.ofMinutes(20));
            health.check();
        }
        assertThat(samples()).as("only the last day's samples are kept").isBetween(24, 25);
        assertThat(oldestSample()).isAfterOrEqualTo(clock.instant().minus(Duration.ofHours(24)));
        StoreHealthReport now = health.check();
        var baseline = ctx.store().inTransaction(c -> ctx.store().sizeSamples().oldest(c)).orElseThrow();
        assertThat(now.growthPerDay()).as("against the oldest sample of the last day").isEqualTo(Math.round(
                (now.sizeBytes() - baseline.sizeBytes()) * (double) Duration.ofDays(1).toMillis()
                        / Duration.between(baseline.at(), clock.instant()).toMillis()));
        assertThat(now.growthPerDay()).as("only the samples themselves written during the last day")
                .isLessThan(later.growthPerDay() / 8);
    }

    @Test
    void warnsWhenLessThanTheMarginIsFree() {
        StoreHealthReport report = new StoreHealth(ctx, new StoreHealth.Thresholds(Long.MAX_VALUE, 0.10,
                StoreHealth.FILL_HORIZON)).check();
        assertThat(report.warningText()).hasValueSatisfying(w -> assertThat(w)
                .startsWith("Only " + StoreHealthReport.bytes(report.usableBytes()) + " is free on the volume "
                        + "holding the state store (" + workspace.storeFile() + "), less than the ")
                .contains("When the volume is full, runs fail", "free space on it, or move the workspace"));
        assertThat(new StoreHealth(ctx, new StoreHealth.Thresholds(0, 1.0, Duration.ZERO)).check().warningText())
                .as("a margin of the whole volume").isPresent();
        assertThat(new StoreHealth(ctx, QUIET).check().warningText()).isEmpty();
    }

    @Test
    void warnsWhenTheStoreWouldFillTheVolumeWithinTheHorizon() {
        StoreHealth sevenDays = new StoreHealth(ctx, new StoreHealth.Thresholds(0, 0, StoreHealth.FILL_HORIZON));
        // a horizon no real volume outlasts at this store's growth (a few MB a day)
        StoreHealth forever = new StoreHealth(ctx, new StoreHealth.Thresholds(0, 0, Duration.ofDays(1_000_000_000)));
        assertThat(forever.check().warningText()).as("growth not known yet: no forecast").isEmpty();
        clock.advance(Duration.ofHours(12));
        grow(4);
        StoreHealthReport report = forever.check();
        assertThat(report.growthPerDay()).isPositive();
        assertThat(report.warningText()).hasValueSatisfying(w -> assertThat(w)
                .startsWith("At +" + StoreHealthReport.bytes(report.growthPerDay()) + "/day, the state store would "
                        + "fill the " + StoreHealthReport.bytes(report.usableBytes()) + " left on its volume in about ")
                .endsWith("Free space on that volume, or move the workspace to a larger one, before runs start to "
                        + "fail."));
        assertThat(sevenDays.check().warningText()).as("gigabytes free at megabytes a day").isEmpty();
    }

    @Test
    void sizesReadAsDiskToolsShowThem() {
        assertThat(StoreHealthReport.bytes(0)).isEqualTo("0 B");
        assertThat(StoreHealthReport.bytes(999)).isEqualTo("999 B");
        assertThat(StoreHealthReport.bytes(3_240_000)).isEqualTo("3.2 MB");
        assertThat(StoreHealthReport.bytes(68_400_000)).isEqualTo("68 MB");
        assertThat(StoreHealthReport.bytes(41_000_000_000L)).isEqualTo("41 GB");
        assertThat(new StoreHealthReport(true, 68_400_000, -2_000_000L, 41_000_000_000L, 100_000_000_000L, null)
                .summary()).isEqualTo("68 MB, -2.0 MB/day, 41 GB free");
        assertThat(StoreHealth.Thresholds.DEFAULT).isEqualTo(new StoreHealth.Thresholds(1L << 30, 0.10,
                Duration.ofDays(7)));
    }

    /** Writes about {@code megabytes} MB of incompressible audit entries into the store. */
    private void grow(int megabytes) {
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < megabytes * 4; i++) {
            byte[] noise = new byte[128 * 1024];
            random.nextBytes(noise);
            String text = HexFormat.of().formatHex(noise);
            ctx.store().update(c -> ctx.store().audit().append(c, ctx.now(), "test", "test.fill", "store", null,
                    "\"" + text + "\""));
        }
    }

    private int samples() {
        return ctx.store().inTransaction(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT COUNT(*) FROM store_size_samples");
                 ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }

    private Instant oldestSample() {
        return ctx.store().inTransaction(c -> ctx.store().sizeSamples().oldest(c)).orElseThrow().at();
    }
}
