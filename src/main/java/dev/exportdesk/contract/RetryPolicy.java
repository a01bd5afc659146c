package dev.exportdesk.contract;

import java.time.Duration;

/** Retries of transient delivery errors: exponential backoff with full jitter, capped. */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
    public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(60));
}
