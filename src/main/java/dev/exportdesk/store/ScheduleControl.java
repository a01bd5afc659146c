package dev.exportdesk.store;

import java.time.Instant;

/** A contract's schedule state, who set it, when and why (reason: null when none was given). */
public record ScheduleControl(String contract, ScheduleState state, Instant changedAt, String changedBy,
                             String reason) {

    public boolean paused() {
        return state == ScheduleState.PAUSED;
    }
}
