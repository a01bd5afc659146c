package dev.exportdesk.store;

import java.time.Instant;

/** One row of {@code run_requests} (V20): a Run now, Resume or Cancel a worker executes. */
public record RunRequest(String id, Kind kind, String contract, String runId, String requestedBy,
                         Instant requestedAt, State state, String takenBy, Instant finishedAt, String outcome) {

    public enum Kind {
        RUN,
        RESUME,
        CANCEL,
        /** Ship a correction of a contract (or of one completed run): a worker plans and executes it. */
        CORRECT
    }

    public enum State {
        PENDING,
        /** A worker is executing it. */
        TAKEN,
        DONE,
        FAILED
    }
}
