package dev.exportdesk.ui.dashboard;

import dev.exportdesk.engine.status.ContractStatus;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.RunState;
import dev.exportdesk.ui.runs.RunRow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One contract on the health overview: what needs a person's attention first (failing, SLO
 * breached, stalled, receipts overdue), then the figures behind it. {@code problems} is empty for a
 * healthy contract; the table sorts contracts with problems first.
 *
 * @param failedRecently runs that failed (not cancelled) in the overview's window
 * @param receiptsOverdue completed runs in the window whose partner receipt is overdue
 * @param stalledRun a run that is not finished, not running in this console and silent too long
 */
public record HealthRow(String contract, String partner, List<String> problems, Duration deliveryLag,
                        Duration maxDeliveryLag, Instant lastSuccess, long failedRecently, long receiptsOverdue,
                        RunRecord stalledRun, Instant nextScheduledAt) {

    /** How far back failures and receipts are counted. */
    public static final Duration WINDOW = Duration.ofDays(7);
    private static final String NEVER_RUN = "Never run";
    private static final String PAUSED = "Paused";

    /**
     * @param runs the contract's recent runs, any order
     * @param runningHere whether a run of the contract is running in this console (so not stalled)
     * @param stallAfter silence after which an unfinished run counts as stalled
     */
    public static HealthRow of(ContractStatus status, List<RunRecord> runs, long receiptsOverdue,
                               boolean runningHere, Duration stallAfter, Instant now) {
        Instant since = now.minus(WINDOW);
        long failed = runs.stream().filter(r -> r.plannedAt().isAfter(since)).filter(HealthRow::failed).count();
        RunRecord stalled = runningHere ? null : runs.stream()
                .filter(r -> RunRow.of(r, false, stallAfter, now).stalled()).findFirst().orElse(null);
        RunRecord last = status.lastRun();
        List<String> problems = new ArrayList<>();
        if (last != null && failed(last)) {
            problems.add(last.state() == RunState.SCHEMA_DRIFT ? "Schema drift" : "Failing");
        }
        if (status.sloBreached()) {
            problems.add("SLO breached");
        }
        if (stalled != null) {
            problems.add("Stalled");
        }
        if (receiptsOverdue > 0) {
            problems.add("Receipt overdue");
        }
        if (last == null) {
            problems.add(NEVER_RUN);
        }
        if (status.paused()) {
            problems.add(PAUSED);
        }
        return new HealthRow(status.contract(), status.partner(), List.copyOf(problems), status.deliveryLag(),
                status.maxDeliveryLag(), status.lastCompletedAt(), failed, receiptsOverdue, stalled,
                status.nextScheduledAt());
    }

    /** Stopped by a problem; a person's Cancel (stored FAILED, resumable) is no failure. */
    static boolean failed(RunRecord r) {
        return r.state() == RunState.SCHEMA_DRIFT
                || r.state() == RunState.FAILED && !RunRow.cancelled(r);
    }

    /** Needs attention: anything but "Never run" and "Paused", which are states, not alarms. */
    public boolean alarming() {
        return problems.stream().anyMatch(p -> !p.equals(NEVER_RUN) && !p.equals(PAUSED));
    }

    public String health() {
        return problems.isEmpty() ? "OK" : String.join(" · ", problems);
    }
}
