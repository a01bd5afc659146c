package dev.exportdesk.store;

import java.time.Instant;

/**
 * One chunk file of a run, with the hashes fixed when it was sealed. {@code scanPhase} says which
 * scan of the run its last row came from (LOOKBACK or FORWARD), so a resume continues there.
 * {@code truncateFirst}: a stream chunk that begins with a TRUNCATE of the table (the partner empties
 * its copy before applying it).
 */
public record ChunkRecord(String runId, int seq, ChunkState state, String fileName, long rowCount,
                          long deleteCount, long byteCount, long contentBytes, String sha256, String contentSha256,
                          String cursorFrom, String cursorTo, String scanPhase, String schemaFingerprint, int attempts,
                          String lastError, Instant updatedAt, boolean truncateFirst) {

    public ChunkRecord(String runId, int seq, ChunkState state, String fileName, long rowCount, long deleteCount,
                       long byteCount, long contentBytes, String sha256, String contentSha256, String cursorFrom,
                       String cursorTo, String scanPhase, String schemaFingerprint, int attempts, String lastError,
                       Instant updatedAt) {
        this(runId, seq, state, fileName, rowCount, deleteCount, byteCount, contentBytes, sha256, contentSha256,
                cursorFrom, cursorTo, scanPhase, schemaFingerprint, attempts, lastError, updatedAt, false);
    }
}
