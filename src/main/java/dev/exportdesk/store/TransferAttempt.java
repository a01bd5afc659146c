package dev.exportdesk.store;

import java.time.Instant;

/**
 * One delivery attempt of one chunk file: where it resumed, how many bytes it sent, how long it
 * took, and how it ended (OK, RETRY, STALLED, FAILED).
 */
public record TransferAttempt(String runId, int chunkSeq, String fileName, int attempt, Instant startedAt,
                              long durationMillis, long resumedFrom, long bytesSent, String outcome, String error) {
}
