package dev.exportdesk.ui.runs;

import dev.exportdesk.engine.status.ContractStatus;
import dev.exportdesk.store.ScheduleControl;
import dev.exportdesk.ui.Cells;

/**
 * The schedule table's words for a contract's schedule: its Next start cell, and the line under
 * the table for the selected contract (the schedule in words, the next start, or who paused it,
 * when and why). The reason is a person's text, stored cleaned of control characters; the table
 * shows it as plain text.
 */
public final class ScheduleWords {
    private ScheduleWords() {
    }

    /** The Next start cell: the time, "manual", or "paused by alice" (when and why: {@link #detail}). */
    public static String nextStart(ContractStatus s) {
        if (s.paused()) {
            return "paused by " + s.scheduleControl().changedBy();
        }
        return s.nextScheduledAt() == null ? "manual" : Cells.time(s.nextScheduledAt());
    }

    /** "Paused by alice 2026-12-04 14:02:00 — reason" (lower case first as a cell). */
    static String paused(ScheduleControl p) {
        return "paused by " + p.changedBy() + " " + Cells.time(p.changedAt())
                + (p.reason() == null ? "" : " — " + p.reason());
    }

    /** The line under the schedule table for the selected contract. */
    public static String detail(ContractStatus s) {
        if (s == null) {
            return "";
        }
        String what = s.schedule() == null ? "no schedule: runs when started (Run now, exportdesk run)"
                : s.schedule().describe();
        if (s.paused()) {
            String p = paused(s.scheduleControl());
            return s.contract() + ": P" + p.substring(1) + ". The schedule does not start it (nor run --due); "
                    + "Run now still does. Schedule: " + what;
        }
        return s.contract() + ": " + what + (s.nextScheduledAt() == null ? ""
                : " · next start " + Cells.time(s.nextScheduledAt()) + " UTC");
    }
}
