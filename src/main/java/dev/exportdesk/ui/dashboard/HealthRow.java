package dev.exportdesk.ui.dashboard;

import dev.exportdesk.cdc.SlotHealth;
import dev.exportdesk.engine.status.ContractStatus;
import dev.exportdesk.engine.status.SlotReport;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.RunState;
import dev.exportdesk.text.Text;
import dev.exportdesk.ui.Cells;
import dev.exportdesk.ui.runs.RunRow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One contract on the health overview: what needs a person's attention first (failing, SLO
 * breached, stalled, receipts overdue), then the figures behind it. {@code problems} is empty for a
 * healthy contract; the table sorts contracts with problems first.
 *
 * @param failedRecently runs that failed (not cancelled) in the overview's window
 * @param receiptsOverdue completed runs in the window whose partner receipt is overdue
 * @param stalledRun a run that is not finished, not running in this console and silent too long
 * @param slot a logical contract's replication slot in words (null for cursor contracts)
 */
public record HealthRow(String contract, String partner, List<String> problems, Duration deliveryLag,
                        Duration maxDeliveryLag, Instant lastSuccess, long failedRecently, long receiptsOverdue,
                        RunRecord stalledRun, Instant nextScheduledAt, String slot) {

    /** How far back failures and receipts are counted. */
    public static final Duration WINDOW = Duration.ofDays(7);
    private static final String NEVER_RUN = "Never run";
    private static final String PAUSED = "Paused";
    private static final String RESYNC = "Re-sync required";

    /**
     * @param runs the contract's recent runs, any order
     * @param runningHere whether a run of the contract is running in this console (so not stalled)
     * @param stallAfter silence after which an unfinished run counts as stalled
     * @param slot the contract's replication slot when it captures from the log, else null
     */
    public static HealthRow of(ContractStatus status, List<RunRecord> runs, long receiptsOverdue,
                               boolean runningHere, Duration stallAfter, Instant now, SlotReport slot) {
        Instant since = now.minus(WINDOW);
        long failed = runs.stream().filter(r -> r.plannedAt().isAfter(since)).filter(HealthRow::failed).count();
        RunRecord stalled = runningHere ? null : runs.stream()
                .filter(r -> RunRow.of(r, false, stallAfter, now).stalled()).findFirst().orElse(null);
        RunRecord last = status.lastRun();
        List<String> problems = new ArrayList<>();
        if (last != null && failed(last)) {
            problems.add(switch (last.state()) {
                case SCHEMA_DRIFT -> "Schema drift";
                case RESYNC_REQUIRED -> RESYNC;
                default -> "Failing";
            });
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
        if (slot != null && slot.atRisk() && !(slot.resync() && problems.contains(RESYNC))) {
            problems.add(slot.resync() ? RESYNC : "Slot at risk");
        }
        if (status.paused()) {
            problems.add(PAUSED);
        }
        return new HealthRow(status.contract(), status.partner(), List.copyOf(problems), status.deliveryLag(),
                status.maxDeliveryLag(), status.lastCompletedAt(), failed, receiptsOverdue, stalled,
                status.nextScheduledAt(), slot == null ? null : describe(slot));
    }

    /** "slot orders_slot: reserved, 12.0 MiB of log kept, 1.0 MiB not yet confirmed", or what is wrong. */
    static String describe(SlotReport r) {
        SlotHealth.Status s = r.status();
        if (s == null) {
            return "slot " + r.slot() + ": " + Text.safe(r.problem()); // the source's own words may be in it
        }
        return "slot " + r.slot() + ": " + s.walStatus().name().toLowerCase(Locale.ROOT) + ", "
                + Cells.bytes(s.retainedBytes()) + " of log kept, " + Cells.bytes(s.lagBytes())
                + " not yet confirmed" + (s.safeWalBytes() == null ? "" : ", lost after "
                + Cells.bytes(s.safeWalBytes()) + " more");
    }

    /** Stopped by a problem; a person's Cancel (stored FAILED, resumable) is no failure. */
    static boolean failed(RunRecord r) {
        return r.state() == RunState.SCHEMA_DRIFT || r.state() == RunState.RESYNC_REQUIRED
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
