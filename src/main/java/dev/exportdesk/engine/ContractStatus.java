package dev.exportdesk.engine;

import dev.exportdesk.store.Checkpoint;
import dev.exportdesk.store.RunRecord;
import java.time.Duration;
import java.time.Instant;

/**
 * One contract at a glance: last run, checkpoint, delivery lag (time since the newest data the
 * partner has was current) and whether the SLO is breached.
 */
public record ContractStatus(String contract, String partner, int version, RunRecord lastRun, Checkpoint checkpoint,
                             Instant lastCompletedAt, Duration deliveryLag, Duration maxDeliveryLag,
                             Instant nextScheduledAt) {

    public boolean sloBreached() {
        return deliveryLag != null && maxDeliveryLag != null && deliveryLag.compareTo(maxDeliveryLag) > 0;
    }
}
