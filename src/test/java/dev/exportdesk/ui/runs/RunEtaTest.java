package dev.exportdesk.ui.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.engine.ProgressListener;
import dev.exportdesk.engine.runs.RunProgress;
import dev.exportdesk.engine.runs.RunResult;
import dev.exportdesk.ui.ConsoleFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The running-task line's ETA: arithmetic and the honest "—" cases without a toolkit, and the
 * expected total read at the source for real runs (a full export, then an incremental one after
 * source changes, with its lookback re-scan) agrees with the rows those runs read.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RunEtaTest {
    @TempDir
    Path dir;

    private static RunProgress progress(long rows, Duration elapsed) {
        return new RunProgress("r1", "orders-to-acme", 1, RunProgress.Phase.CAPTURE, rows, 3, 3 * 1024 * 1024, elapsed);
    }

    @Test
    void etaFromTheAverageRateAndTheExpectedRows() {
        // 20,000 rows in 10 s = 2,000 rows/s; 80,000 to go = 40 s
        assertThat(RunEta.remaining(20_000, 2_000, OptionalLong.of(100_000))).contains(Duration.ofSeconds(40));
        RunEta eta = new RunEta();
        eta.expect(OptionalLong.of(100_000));
        assertThat(eta.describe(progress(20_000, Duration.ofSeconds(10))))
                .isEqualTo("capture · 20,000 of ≈100,000 rows · ETA 40 s · chunk 3 · 3.0 MiB · 2,000 rows/s");
        assertThat(eta.fraction(progress(20_000, Duration.ofSeconds(10)))).isEqualTo(0.2);
        assertThat(RunEta.format(Duration.ofSeconds(185))).isEqualTo("3 min 05 s");
        assertThat(RunEta.format(Duration.ofMinutes(127))).isEqualTo("2 h 07 min");
        assertThat(RunEta.format(Duration.ofMillis(200))).isEqualTo("1 s");
    }

    @Test
    void aLookbackReScanCountsAsReadingAndTheLineSaysHowFewItShipped() {
        RunEta eta = new RunEta();
        eta.expect(OptionalLong.of(100_000));
        // 20,000 read in 10 s, 150 of them shipped (the rest were re-scanned and already shipped)
        RunProgress rescan = new RunProgress("r1", "orders-to-acme", 1, RunProgress.Phase.CAPTURE, 150, 20_000, 1, 4096,
                Duration.ofSeconds(10));
        assertThat(eta.describe(rescan)).isEqualTo(
                "capture · 20,000 of ≈100,000 rows (150 shipped) · ETA 40 s · chunk 1 · 4.0 KiB · 2,000 rows/s");
        assertThat(eta.fraction(rescan)).isEqualTo(0.2);
    }

    @Test
    void noNumberWhenItCannotBeKnown() {
        RunEta eta = new RunEta();
        assertThat(eta.describe(progress(20_000, Duration.ofSeconds(10)))).as("estimate not read (yet)")
                .isEqualTo("capture · 20,000 rows · ETA — · chunk 3 · 3.0 MiB · 2,000 rows/s");
        assertThat(eta.fraction(progress(20_000, Duration.ofSeconds(10)))).as("indeterminate").isNegative();
        eta.expect(OptionalLong.of(15_000));
        assertThat(eta.describe(progress(20_000, Duration.ofSeconds(10)))).as("more shipped than expected")
                .startsWith("capture · 20,000 rows · ETA — ·");
        assertThat(eta.fraction(progress(20_000, Duration.ofSeconds(10)))).isNegative();
        assertThat(RunEta.remaining(0, 0, OptionalLong.of(10))).as("no rate yet").isEmpty();
    }

    @Test
    void theSourceCountMatchesWhatRealRunsShip() throws Exception {
        try (ConsoleFixture fixture = ConsoleFixture.open(dir, 5_000)) {
            var engine = fixture.engine(fixture.admin);
            long[] full = runAskingForTheEstimate(engine);
            assertThat(full).containsExactly(5_000, 5_000, 5_000);
            // updates, inserts, deletes and one late-committed order: the count covers the run's own
            // range after the checkpoint (not the 5,000 already shipped) and the lookback window it
            // re-scans, where the late order is; the capture reads exactly that and ships fewer
            fixture.shop.applyChanges();
            long[] incremental = runAskingForTheEstimate(engine);
            assertThat(incremental[0]).isEqualTo(incremental[1]).isLessThan(5_000);
            assertThat(incremental[2]).isPositive().isLessThanOrEqualTo(incremental[1]);
        }
    }

    /** Runs orders once, asking for the estimate on its first tick: {estimated, read, shipped}. */
    private static long[] runAskingForTheEstimate(dev.exportdesk.access.GuardedEngine engine) {
        List<OptionalLong> estimates = new CopyOnWriteArrayList<>();
        List<RunProgress> ticks = new CopyOnWriteArrayList<>();
        ProgressListener ask = p -> {
            if (estimates.isEmpty()) {
                estimates.add(engine.estimateRunRows(p.runId(), p.carried()));
            }
            ticks.add(p);
        };
        RunResult r = engine.run("orders-to-acme", ask);
        assertThat(r.completed()).isTrue();
        assertThat(estimates).singleElement().matches(OptionalLong::isPresent);
        assertThat(engine.estimateRunRows(r.run().id(), RunProgress.Carried.NONE)).as("finished: nothing to estimate").isEmpty();
        assertThat(ticks.get(ticks.size() - 1).rows()).isEqualTo(r.run().rowCount());
        return new long[] {estimates.get(0).getAsLong(), ticks.get(ticks.size() - 1).rowsRead(), r.run().rowCount()};
    }
}
