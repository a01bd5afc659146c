package dev.exportdesk.store;

import java.time.Instant;

/** One row of {@code run_leases}, with the contract and sequence of its run for displays. */
public record LeaseRow(String runId, String contract, long sequence, long epoch, String holder, LeaseState state,
                       Instant claimedAt, Instant expiresAt) {
}
