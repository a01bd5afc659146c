package dev.exportdesk.store;

import java.time.Instant;

/**
 * Where a contract's next run starts: the last delivered cursor tuple, the upper bound of the last
 * completed run (anchor of the late-data lookback) and the manifest chain head.
 */
public record Checkpoint(String contractName, String cursorValue, String upperBound, long lastSequence,
                         String lastRunId, String lastManifestSha256, Instant updatedAt) {

    public static Checkpoint initial(String contract) {
        return new Checkpoint(contract, null, null, 0, null, null, null);
    }
}
