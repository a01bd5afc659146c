package dev.exportdesk.ui.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.cdc.SlotHealth;
import dev.exportdesk.engine.status.ContractStatus;
import dev.exportdesk.engine.status.SlotReport;
import dev.exportdesk.store.RunMode;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.RunState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.postgresql.replication.LogSequenceNumber;

/** The health overview's judgement of a contract, and the partner's delivery lag over time. */
class HealthRowTest {
    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
    private static final Duration STALL = Duration.ofMinutes(2);

    private static RunRecord run(String id, long seq, RunState state, Instant planned, Instant finished, String error,
                                 Instant heartbeat) {
        return new RunRecord(id, "orders", 1, seq, RunMode.INCREMENTAL, state, planned, finished, null, null, null,
                null, 10,
                100, 1, 1, null, null, error, heartbeat);
    }

    private static ContractStatus status(RunRecord last, Duration lag, Duration slo) {
        return new ContractStatus("orders", "acme", 1, last, null, last == null ? null : last.finishedAt(), lag, slo,
                null, null, null);
    }

    @Test
    void aHealthyContractIsOkAndProblemsAreNamed() {
        RunRecord done = run("a", 1, RunState.COMPLETED, NOW.minusSeconds(600), NOW.minusSeconds(590), null, null);
        HealthRow ok = HealthRow.of(status(done, Duration.ofMinutes(10), Duration.ofHours(1)), List.of(done), 0, false,
                STALL, NOW, null);
        assertThat(ok.problems()).isEmpty();
        assertThat(ok.health()).isEqualTo("OK");
        assertThat(ok.alarming()).isFalse();

        RunRecord failed = run("b", 2, RunState.FAILED, NOW.minusSeconds(300), null, "source: connection refused", NOW);
        HealthRow bad = HealthRow.of(status(failed, Duration.ofMinutes(90), Duration.ofHours(1)), List.of(done, failed),
                2, false, STALL, NOW, null);
        assertThat(bad.problems()).containsExactly("Failing", "SLO breached", "Receipt overdue");
        assertThat(bad.failedRecently()).isEqualTo(1);
        assertThat(bad.alarming()).isTrue();
    }

    @Test
    void aCancelIsNoFailureAndARunRunningHereIsNotStalled() {
        RunRecord cancelled = run("c", 3, RunState.FAILED, NOW.minusSeconds(300), null, "cancelled", NOW);
        HealthRow row = HealthRow.of(status(cancelled, null, null), List.of(cancelled), 0, false, STALL, NOW, null);
        assertThat(row.problems()).isEmpty();
        assertThat(row.failedRecently()).isZero();

        RunRecord silent = run("d", 4, RunState.CAPTURING, NOW.minusSeconds(900), null, null, NOW.minusSeconds(600));
        HealthRow stalled = HealthRow.of(status(silent, null, null), List.of(silent), 0, false, STALL, NOW, null);
        assertThat(stalled.problems()).containsExactly("Stalled");
        assertThat(stalled.stalledRun()).isEqualTo(silent);
        assertThat(HealthRow.of(status(silent, null, null), List.of(silent), 0, true, STALL, NOW, null).problems())
                .as("running in this console: only quiet between heartbeats").isEmpty();

        RunRecord old = run("e", 5, RunState.FAILED, NOW.minus(Duration.ofDays(8)), null, "boom", NOW.minus(Duration.ofDays(8)));
        assertThat(HealthRow.of(status(null, null, null), List.of(old), 0, false, STALL, NOW, null).failedRecently())
                .as("outside the 7-day window").isZero();
        assertThat(HealthRow.of(status(null, null, null), List.of(), 0, false, STALL, NOW, null).health()).isEqualTo("Never run");
        ContractStatus paused = new ContractStatus("orders", "acme", 1, null, null, null, null, null, null, null,
                new dev.exportdesk.store.ScheduleControl("orders", dev.exportdesk.store.ScheduleState.PAUSED, NOW,
                        "alice", "partner on holiday"));
        HealthRow pausedRow = HealthRow.of(paused, List.of(), 0, false, STALL, NOW, null);
        assertThat(pausedRow.problems()).containsExactly("Never run", "Paused");
        assertThat(pausedRow.alarming()).as("paused is a state a person chose, not an alarm").isFalse();
    }

    @Test
    void aLogicalContractsSlotShowsAndAlarmsWhenAtRiskOrGone() {
        RunRecord done = run("f", 6, RunState.COMPLETED, NOW.minusSeconds(600), NOW.minusSeconds(500), null, null);
        ContractStatus s = status(done, Duration.ofMinutes(10), null);
        SlotHealth.Status healthy = new SlotHealth.Status("orders_slot", SlotHealth.WalStatus.RESERVED, 12L << 20,
                1L << 20, null, LogSequenceNumber.valueOf("0/16B3748"), null);
        HealthRow ok = HealthRow.of(s, List.of(done), 0, false, STALL, NOW, new SlotReport("orders", "orders_slot",
                healthy, null, false));
        assertThat(ok.problems()).isEmpty();
        assertThat(ok.slot()).isEqualTo("slot orders_slot: reserved, 12.0 MiB of log kept, 1.0 MiB not yet confirmed");
        SlotHealth.Status unreserved = new SlotHealth.Status("orders_slot", SlotHealth.WalStatus.UNRESERVED, 3L << 30,
                3L << 30, 0L, LogSequenceNumber.valueOf("0/16B3748"), null);
        assertThat(HealthRow.of(s, List.of(done), 0, false, STALL, NOW, new SlotReport("orders", "orders_slot",
                unreserved, null, false)).problems()).containsExactly("Slot at risk");
        HealthRow gone = HealthRow.of(s, List.of(done), 0, false, STALL, NOW, new SlotReport("orders", "orders_slot",
                null, "replication slot \"orders_slot\" does not exist: re-sync required", true));
        assertThat(gone.problems()).containsExactly("Re-sync required");
        assertThat(gone.alarming()).isTrue();
        assertThat(gone.slot()).contains("re-sync required");
        assertThat(HealthRow.of(s, List.of(done), 0, false, STALL, NOW, null).slot()).as("a cursor contract").isNull();

        RunRecord stopped = run("g", 7, RunState.RESYNC_REQUIRED, NOW.minusSeconds(3600), null,
                "replication slot \"orders_slot\" does not exist", NOW.minusSeconds(3500));
        HealthRow waiting = HealthRow.of(status(stopped, Duration.ofMinutes(70), null), List.of(stopped, done), 0, false,
                STALL, NOW, new SlotReport("orders", "orders_slot", null, "replication slot \"orders_slot\" does not "
                        + "exist: re-sync required", true));
        assertThat(waiting.problems()).as("said once, and never stalled: nothing runs it").containsExactly(
                "Re-sync required");
        assertThat(waiting.failedRecently()).isEqualTo(1);
    }

    @Test
    void theDeliveryLagDropsAtEachDeliveryAndGrowsUntilTheNext() {
        Instant t0 = NOW.minus(Duration.ofHours(3));
        RunRecord first = run("1", 1, RunState.COMPLETED, t0, t0.plusSeconds(60), null, null);
        RunRecord failed = run("2", 2, RunState.FAILED, t0.plusSeconds(3600), null, "boom", null);
        RunRecord second = run("3", 3, RunState.COMPLETED, t0.plusSeconds(7200), t0.plusSeconds(7320), null, null);
        List<DashboardViewModel.LagPoint> lag = DashboardViewModel.lagOverTime(List.of(second, failed, first), NOW);
        assertThat(lag).extracting(DashboardViewModel.LagPoint::minutes).containsExactly(1.0, 122.0, 2.0, 60.0);
        assertThat(lag).extracting(DashboardViewModel.LagPoint::at)
                .containsExactly(t0.plusSeconds(60), t0.plusSeconds(7320), t0.plusSeconds(7320), NOW);
        assertThat(lag.get(1).runId()).as("before the second delivery, the first run's data").isEqualTo("1");
    }
}
