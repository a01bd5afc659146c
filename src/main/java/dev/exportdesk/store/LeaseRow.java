package dev.exportdesk.store;

import java.time.Instant;

/**
 * One held claim, with the contract and sequence of its run for displays: a row of {@code run_leases},
 * or of {@code run_segments} for a key range of a split run ({@code segment} ≥ 1).
 */
public record LeaseRow(String runId, String contract, long sequence, long epoch, String holder, LeaseState state,
                       Instant claimedAt, Instant expiresAt, int segment) {

    /** A lease on a whole run. */
    public LeaseRow(String runId, String contract, long sequence, long epoch, String holder, LeaseState state,
                    Instant claimedAt, Instant expiresAt) {
        this(runId, contract, sequence, epoch, holder, state, claimedAt, expiresAt, 0);
    }
}
