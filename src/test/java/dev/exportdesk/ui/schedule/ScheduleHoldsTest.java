package dev.exportdesk.ui.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.ui.runs.ExportsViewModel.TaskEnd;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A failing scheduled run is retried 1, 2, 4… minutes apart (at most an hour), never at every tick. */
class ScheduleHoldsTest {
    private static final Instant T0 = Instant.parse("2026-01-05T14:00:00Z");

    @Test
    void failuresWaitLongerEachTimeUpToAnHourAndACompletedRunForgetsThem() {
        ScheduleHolds holds = new ScheduleHolds();
        Instant now = T0;
        for (long minutes : new long[] {1, 2, 4, 8, 16, 32, 60, 60}) {
            holds.ended("orders", TaskEnd.FAILED, now);
            assertThat(holds.holds("orders", now.plus(Duration.ofMinutes(minutes)).minusSeconds(1))).isTrue();
            now = now.plus(Duration.ofMinutes(minutes));
            assertThat(holds.holds("orders", now)).as("free again after %d min", minutes).isFalse();
        }
        holds.ended("orders", TaskEnd.COMPLETED, now);
        holds.ended("orders", TaskEnd.FAILED, now);
        assertThat(holds.heldUntil(now)).containsEntry("orders", now.plus(Duration.ofMinutes(1)));
    }

    @Test
    void aCancelledRunIsHeldUntilItIsNoLongerDue() {
        ScheduleHolds holds = new ScheduleHolds();
        holds.ended("orders", TaskEnd.CANCELLED, T0);
        assertThat(holds.holds("orders", T0.plus(Duration.ofDays(30)))).isTrue();
        holds.keepOnly(List.of("orders"));
        assertThat(holds.holds("orders", T0)).isTrue();
        holds.keepOnly(List.of());
        assertThat(holds.holds("orders", T0)).isFalse();
    }
}
