package dev.exportdesk.engine.delivery;

import dev.exportdesk.contract.RetryPolicy;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with "equal jitter": sleep U(d/2, d) where d = min(cap, base·2^(n-1)). */
final class Backoff {
    private Backoff() {
    }

    static long delayMillis(RetryPolicy policy, int failedAttempts) {
        long base = policy.initialBackoff().toMillis();
        long cap = policy.maxBackoff().toMillis();
        long exp = failedAttempts >= 30 ? cap : Math.min(cap, base << Math.max(0, failedAttempts - 1));
        return ThreadLocalRandom.current().nextLong(exp / 2, exp + 1);
    }
}
