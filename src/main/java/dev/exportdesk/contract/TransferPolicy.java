package dev.exportdesk.contract;

import java.time.Duration;

/**
 * How a destination is driven: connect timeout, stall detection (no bytes acknowledged for
 * {@code stallTimeout} aborts the attempt, which then resumes from what the destination holds),
 * how long the partner has to write an acknowledgement receipt ({@code null}: none expected), how
 * many chunks travel at once (each over its own connection), and an optional bandwidth cap shared
 * by them ({@code 0}: none). Attempts and backoff come from the contract's {@code retry} policy.
 */
public record TransferPolicy(Duration connectTimeout, Duration stallTimeout, Duration ackDeadline,
                             int parallelTransfers, long maxBytesPerSecond) {
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(60);
    public static final int MAX_PARALLEL_TRANSFERS = 16;
    /** Below this a cap starves the stall watchdog and the protocols' own timers. */
    public static final long MIN_BYTES_PER_SECOND = 16 * 1024;
    public static final TransferPolicy DEFAULT = new TransferPolicy(DEFAULT_CONNECT_TIMEOUT, DEFAULT_STALL_TIMEOUT,
            null, 1, 0);

    public TransferPolicy(Duration connectTimeout, Duration stallTimeout, Duration ackDeadline) {
        this(connectTimeout, stallTimeout, ackDeadline, 1, 0);
    }

    public boolean capped() {
        return maxBytesPerSecond > 0;
    }
}
