package dev.exportdesk.store;

import java.time.Instant;

/**
 * One recorded check of a run or chunk: level (delivery, source, schema), outcome and detail, and
 * for a delivered chunk the SHA-256 of its file as read at the destination (else null).
 */
public record Verification(String runId, Integer chunkSeq, String level, String outcome, String detail,
                           Instant verifiedAt, String destinationSha256) {
}
