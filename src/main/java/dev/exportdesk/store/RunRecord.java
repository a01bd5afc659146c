package dev.exportdesk.store;

import java.time.Instant;

/**
 * One export run of one contract version. Cursor positions and bounds are stored as canonical
 * JSON text produced by the source layer; the store does not interpret them.
 */
public record RunRecord(String id, String contractName, int contractVersion, long sequence, RunMode mode,
                        RunState state, Instant plannedAt, Instant finishedAt, String cursorFrom,
                        String lookbackFrom, String upperBound, String schemaFingerprint, long rowCount,
                        long byteCount, int chunkCount, int attempts, String previousManifestSha256,
                        String manifestSha256, String error, Instant heartbeatAt) {

    /**
     * An unfinished run with what its chunks sealed so far in place of its counts, which the store
     * records only when the run completes.
     */
    public RunRecord withSealed(SealedTotals sealed) {
        return new RunRecord(id, contractName, contractVersion, sequence, mode, state, plannedAt, finishedAt, cursorFrom,
                lookbackFrom, upperBound, schemaFingerprint, sealed.rows(), sealed.bytes(), sealed.chunks(), attempts,
                previousManifestSha256, manifestSha256, error, heartbeatAt);
    }
}
