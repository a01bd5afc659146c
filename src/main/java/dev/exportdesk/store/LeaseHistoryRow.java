package dev.exportdesk.store;

import java.time.Instant;

/**
 * One claim of a run ({@code lease_history}): who claimed it, when and how ({@link LeaseHow}), and
 * when it ended: {@code expiredAt} is the lease's expiry as last renewed when
 * a takeover ended it, {@code endReason} RELEASED, PARKED or TAKEN_OVER. Open while {@code endedAt} is null.
 */
public record LeaseHistoryRow(String runId, long epoch, String holder, Instant claimedAt, LeaseHow how,
                              Instant endedAt, Instant expiredAt, String endReason) {
}
