package dev.exportdesk.store;

import java.time.Instant;

/**
 * One takeover from {@code lease_history}: the claim of epoch {@code epoch} of a run whose earlier
 * holder went silent or stopped, and who held it before ({@code from}, null when nobody is recorded).
 */
public record LeaseTakeover(String runId, String contract, long sequence, long epoch, String from, String to,
                            Instant at) {
}
