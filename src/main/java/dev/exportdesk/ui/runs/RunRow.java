package dev.exportdesk.ui.runs;

import dev.exportdesk.access.RunCancelledException;
import dev.exportdesk.store.RunMode;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.RunState;
import java.time.Duration;
import java.time.Instant;

/**
 * A run as the runs table shows it. Stalled: not completed, not running in this console, and no
 * heartbeat for longer than the contract allows (twice its longest retry back-off, at least a minute).
 * Interrupted: unfinished and not running here while this console holds the workspace's exclusive
 * lock — so no other process can be running it (the app or an engine was killed mid-run).
 */
public record RunRow(RunRecord run, boolean running, boolean stalled, boolean interrupted, Duration lag,
                     boolean pruned) {
    static final String CANCELLED = "CANCELLED";

    public static Duration stallAfter(Duration maxBackoff) {
        Duration twice = maxBackoff == null ? Duration.ofMinutes(2) : maxBackoff.multipliedBy(2);
        return twice.compareTo(Duration.ofMinutes(1)) < 0 ? Duration.ofMinutes(1) : twice;
    }

    public static RunRow of(RunRecord run, boolean running, Duration stallAfter, Instant now) {
        return of(run, running, stallAfter, now, false);
    }

    public static RunRow of(RunRecord run, boolean running, Duration stallAfter, Instant now,
                            boolean workspaceLockedByUs) {
        Instant beat = run.heartbeatAt() != null ? run.heartbeatAt() : run.plannedAt();
        boolean stalled = !running && run.state() != RunState.COMPLETED && run.state() != RunState.FAILED
                && run.state() != RunState.SCHEMA_DRIFT && run.state() != RunState.RESYNC_REQUIRED && Duration.between(beat, now).compareTo(stallAfter) > 0;
        Duration lag = run.finishedAt() == null ? null : Duration.between(run.plannedAt(), run.finishedAt());
        boolean interrupted = workspaceLockedByUs && !running && !stalled && (run.state() == RunState.PLANNED
                || run.state() == RunState.CAPTURING || run.state() == RunState.FINALIZING);
        return new RunRow(run, running, stalled, interrupted, lag, false);
    }

    /** This row of a run retention removed from its destination (tagged "pruned" in the table). */
    public RunRow withPruned(boolean isPruned) {
        return new RunRow(run, running, stalled, interrupted, lag, isPruned);
    }

    /** Stalled or interrupted: needs an operator. */
    public boolean needsAttention() {
        return stalled || interrupted;
    }

    /** Stopped by a person's Cancel: stored FAILED (resumable), but not a failure to alarm anyone with. */
    public boolean cancelled() {
        return cancelled(run);
    }

    public static boolean cancelled(RunRecord run) {
        return run.state() == RunState.FAILED && RunCancelledException.describes(run.error());
    }

    /** Failed for a reason other than a Cancel: shown in red. */
    public boolean failed() {
        return !running && run.state() == RunState.FAILED && !cancelled();
    }

    /** The run's state as a person reads it: CANCELLED for a run stored FAILED by a Cancel. */
    public static String stateName(RunRecord run) {
        return cancelled(run) ? CANCELLED : run.state().name();
    }

    /**
     * Failed and stalled runs (and interrupted ones not running here) can be resumed; one that waits
     * for a re-sync cannot (Re-sync… moves it on).
     */
    public boolean resumable() {
        return !running && run.state() != RunState.COMPLETED && !run.state().awaitsResync();
    }

    public String stateText() {
        if (running) {
            return "RUNNING";
        }
        if (stalled) {
            return "STALLED (" + run.state() + ")";
        }
        String state = interrupted ? "INTERRUPTED (" + run.state() + ")" : stateName(run);
        // an increment is the usual run; any other is named (a full export replaced the partner's copy)
        String shown = run.mode() != RunMode.INCREMENTAL ? state + " · " + run.mode().wire() : state;
        return pruned ? shown + " · pruned" : shown;
    }

    /**
     * The row as the table shows it, tab-separated, for Ctrl+C: contract, sequence, start, state,
     * rows, chunks, duration, attempts and the whole problem (tabs and line breaks in it as spaces).
     */
    public String toTsv(String started, String duration) {
        String problem = run.error() == null ? "" : run.error().replaceAll("[\\t\\r\\n]+", " ");
        return String.join("\t", run.contractName(), String.valueOf(run.sequence()), started, stateText(),
                String.valueOf(run.rowCount()), String.valueOf(run.chunkCount()), duration,
                String.valueOf(run.attempts()), problem);
    }
}
