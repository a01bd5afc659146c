package dev.exportdesk.store;

import java.time.Instant;

/** One recorded check of a run or chunk: level (delivery, source, schema), outcome and detail. */
public record Verification(String runId, Integer chunkSeq, String level, String outcome, String detail,
                           Instant verifiedAt) {
}
