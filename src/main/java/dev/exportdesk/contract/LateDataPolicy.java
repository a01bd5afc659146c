package dev.exportdesk.contract;

import java.time.Duration;

/**
 * {@code safetyLag}: rows newer than now − lag wait for the next run (keeps in-flight transactions
 * out). {@code lookback}: each run re-scans this much before the previous run's upper bound and
 * ships rows that committed late, skipping those already shipped unchanged. A null lookback means
 * "the default": {@link #DEFAULT_LOOKBACK} when the first cursor column is a date/time, none otherwise.
 */
public record LateDataPolicy(Duration safetyLag, Duration lookback) {
    public static final Duration DEFAULT_SAFETY_LAG = Duration.ofSeconds(5);
    public static final Duration DEFAULT_LOOKBACK = Duration.ofMinutes(15);
}
