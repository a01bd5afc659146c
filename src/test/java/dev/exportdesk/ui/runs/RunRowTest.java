package dev.exportdesk.ui.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.store.RunMode;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.RunState;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** When a run counts as stalled, and which runs offer Resume. */
class RunRowTest {
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    private static RunRecord run(RunState state, Duration sinceHeartbeat) {
        return new RunRecord("r", "c", 1, 1, RunMode.INCREMENTAL, state, NOW.minusSeconds(3600), null, null, null, null,
                null, 0, 0, 0, 1, null, null, null, NOW.minus(sinceHeartbeat));
    }

    @Test
    void stalledMeansNoHeartbeatForLongerThanTheContractAllows() {
        Duration allowed = RunRow.stallAfter(Duration.ofSeconds(60));
        assertThat(allowed).isEqualTo(Duration.ofMinutes(2));
        assertThat(RunRow.stallAfter(Duration.ofMillis(5))).isEqualTo(Duration.ofMinutes(1));
        assertThat(RunRow.of(run(RunState.CAPTURING, Duration.ofMinutes(3)), false, allowed, NOW).stalled()).isTrue();
        assertThat(RunRow.of(run(RunState.CAPTURING, Duration.ofMinutes(1)), false, allowed, NOW).stalled()).isFalse();
        assertThat(RunRow.of(run(RunState.CAPTURING, Duration.ofMinutes(3)), true, allowed, NOW).stalled())
                .as("running here").isFalse();
        assertThat(RunRow.of(run(RunState.COMPLETED, Duration.ofHours(3)), false, allowed, NOW).stalled()).isFalse();
    }

    @Test
    void anUnfinishedRunNotRunningWhileWeHoldTheWorkspaceLockWasInterrupted() {
        Duration allowed = Duration.ofMinutes(2);
        RunRow r = RunRow.of(run(RunState.CAPTURING, Duration.ofSeconds(5)), false, allowed, NOW, true);
        assertThat(r.interrupted()).isTrue();
        assertThat(r.stateText()).isEqualTo("INTERRUPTED (CAPTURING)");
        assertThat(RunRow.of(run(RunState.FAILED, Duration.ofSeconds(5)), false, allowed, NOW, true).interrupted())
                .isFalse();
    }

    @Test
    void failedStalledAndInterruptedRunsCanBeResumed() {
        Duration allowed = Duration.ofMinutes(2);
        assertThat(RunRow.of(run(RunState.FAILED, Duration.ZERO), false, allowed, NOW).resumable()).isTrue();
        assertThat(RunRow.of(run(RunState.CAPTURING, Duration.ofHours(1)), false, allowed, NOW).resumable()).isTrue();
        assertThat(RunRow.of(run(RunState.CAPTURING, Duration.ZERO), true, allowed, NOW).resumable()).isFalse();
        assertThat(RunRow.of(run(RunState.RESYNC_REQUIRED, Duration.ofHours(1)), false, allowed, NOW).resumable())
                .as("only a re-sync moves it on").isFalse();
        assertThat(RunRow.of(run(RunState.RESYNC_REQUIRED, Duration.ofHours(1)), false, allowed, NOW).stalled())
                .isFalse();
        assertThat(RunRow.of(run(RunState.COMPLETED, Duration.ZERO), false, allowed, NOW).resumable()).isFalse();
    }

    /** A Cancel leaves the run FAILED (resumable) in the store; the console reads it as cancelled, not failed. */
    @Test
    void aCancelledRunReadsAsCancelledNotAsAFailure() {
        Duration allowed = Duration.ofMinutes(2);
        RunRecord cancelled = failedWith("cancelled by otis");
        RunRow r = RunRow.of(cancelled, false, allowed, NOW, true);
        assertThat(r.stateText()).isEqualTo("CANCELLED");
        assertThat(r.cancelled()).isTrue();
        assertThat(r.failed()).isFalse();
        assertThat(r.resumable()).as("still resumable, as the engine keeps it").isTrue();
        assertThat(RunRow.stateName(failedWith("cancelled"))).as("interrupted engine thread").isEqualTo("CANCELLED");

        RunRow failed = RunRow.of(failedWith("source: connection refused"), false, allowed, NOW, true);
        assertThat(failed.stateText()).isEqualTo("FAILED");
        assertThat(failed.failed()).isTrue();
        assertThat(RunRow.stateName(failedWith("stopped: the session of otto ended (account disabled)")))
                .as("a session ended by an admin is no person's Cancel").isEqualTo("FAILED");
    }

    private static RunRecord failedWith(String error) {
        return new RunRecord("r", "c", 1, 1, RunMode.INCREMENTAL, RunState.FAILED, NOW.minusSeconds(3600), null,
                null, null,
                null, null, 0, 0, 0, 1, null, null, error, NOW);
    }
}
