package dev.exportdesk.contract;

import java.time.Duration;

/**
 * How a remote destination is driven: connect timeout, stall detection (no bytes acknowledged for
 * {@code stallTimeout} aborts the attempt, which then resumes from what the destination holds),
 * and how long the partner has to write an acknowledgement receipt ({@code null}: none expected).
 * Attempts and backoff come from the contract's {@code retry} policy.
 */
public record TransferPolicy(Duration connectTimeout, Duration stallTimeout, Duration ackDeadline) {
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(60);
    public static final TransferPolicy DEFAULT = new TransferPolicy(DEFAULT_CONNECT_TIMEOUT, DEFAULT_STALL_TIMEOUT,
            null);
}
