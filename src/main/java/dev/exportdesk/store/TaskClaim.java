package dev.exportdesk.store;

import java.time.Duration;

/**
 * A worker's claim on a due verification, receipt poll or retention ({@code work_claims}, V20/V30):
 * {@code key} names the work ("verify:CONTRACT", "receipt:RUN", "prune:CONTRACT"), {@code epoch}
 * grows by one at every claim. {@code timeout} bounds how long the store waits for a silent session
 * of its holder, as for a run's lease.
 */
public record TaskClaim(String key, long epoch, String holder, Duration timeout) implements Fence {
    @Override
    public String describe() {
        return key;
    }
}
