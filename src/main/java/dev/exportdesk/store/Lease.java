package dev.exportdesk.store;

import java.time.Duration;

/**
 * A worker's claim on a run ({@code run_leases}, V20), or on one key range of a split run
 * ({@code run_segments}, V23; {@code segment} ≥ 1): {@code epoch} grows by one at every claim, so a
 * write checked against it fails once anyone else has claimed the same thing since. {@code timeout}:
 * how long the lease lives without renewal, and how long the store waits for a silent session of its
 * holder before ending it (a stopped worker must not keep row locks that a takeover needs).
 */
public record Lease(String runId, long epoch, String holder, Duration timeout, int segment) implements Fence {

    /** A lease on a whole run. */
    public Lease(String runId, long epoch, String holder, Duration timeout) {
        this(runId, epoch, holder, timeout, 0);
    }

    public boolean onSegment() {
        return segment > 0;
    }

    @Override
    public String describe() {
        return onSegment() ? "key range " + segment + " of run " + runId : "run " + runId;
    }
}
