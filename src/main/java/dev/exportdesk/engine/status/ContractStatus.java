package dev.exportdesk.engine.status;

import dev.exportdesk.contract.Schedule;
import dev.exportdesk.store.Checkpoint;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.ScheduleControl;
import java.time.Duration;
import java.time.Instant;

/**
 * One contract at a glance: last run, checkpoint, delivery lag (time since the newest data the
 * partner has was current), whether the SLO is breached, its schedule (null: runs only when
 * started) with the next start, and its schedule state (null: never paused).
 */
public record ContractStatus(String contract, String partner, int version, RunRecord lastRun, Checkpoint checkpoint,
                             Instant lastCompletedAt, Duration deliveryLag, Duration maxDeliveryLag,
                             Instant nextScheduledAt, Schedule schedule, ScheduleControl scheduleControl) {

    /** Paused: the schedule does not start it (its next start is still computed, to show when enabled). */
    public boolean paused() {
        return scheduleControl != null && scheduleControl.paused();
    }

    public boolean sloBreached() {
        return deliveryLag != null && maxDeliveryLag != null && deliveryLag.compareTo(maxDeliveryLag) > 0;
    }
}
