package dev.exportdesk.contract;

import java.time.Duration;

/** Hard limits per chunk (rows, uncompressed bytes) and the time per chunk sizing aims for. */
public record ChunkLimits(int maxRows, long maxBytes, Duration targetTime) {
    public static final int DEFAULT_MAX_ROWS = 100_000;
    public static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;
    public static final Duration DEFAULT_TARGET_TIME = Duration.ofSeconds(10);
}
