package dev.exportdesk.store;

import java.time.Instant;

/**
 * One chunk file of a run, with the hashes fixed when it was sealed. {@code scanPhase} says which
 * scan of the run its last row came from, so a resume continues there.
 * {@code truncateFirst}: a stream chunk that begins with a TRUNCATE of the table (the partner empties
 * its copy before applying it). {@code segment}: the key range of a split run it was captured in
 * (V23), 0 for a run captured whole; chunks of different ranges interleave in sequence order.
 */
public record ChunkRecord(String runId, int seq, ChunkState state, String fileName, long rowCount,
                          long deleteCount, long byteCount, long contentBytes, String sha256, String contentSha256,
                          String cursorFrom, String cursorTo, ScanPhase scanPhase, String schemaFingerprint,
                          int attempts, String lastError, Instant updatedAt, boolean truncateFirst, int segment) {

    public ChunkRecord(String runId, int seq, ChunkState state, String fileName, long rowCount, long deleteCount,
                       long byteCount, long contentBytes, String sha256, String contentSha256, String cursorFrom,
                       String cursorTo, ScanPhase scanPhase, String schemaFingerprint, int attempts, String lastError,
                       Instant updatedAt, boolean truncateFirst) {
        this(runId, seq, state, fileName, rowCount, deleteCount, byteCount, contentBytes, sha256, contentSha256,
                cursorFrom, cursorTo, scanPhase, schemaFingerprint, attempts, lastError, updatedAt, truncateFirst, 0);
    }

    public ChunkRecord(String runId, int seq, ChunkState state, String fileName, long rowCount, long deleteCount,
                       long byteCount, long contentBytes, String sha256, String contentSha256, String cursorFrom,
                       String cursorTo, ScanPhase scanPhase, String schemaFingerprint, int attempts, String lastError,
                       Instant updatedAt) {
        this(runId, seq, state, fileName, rowCount, deleteCount, byteCount, contentBytes, sha256, contentSha256,
                cursorFrom, cursorTo, scanPhase, schemaFingerprint, attempts, lastError, updatedAt, false);
    }
}
