package dev.exportdesk.store;

/**
 * Where a run stands. PLANNED → CAPTURING → FINALIZING → COMPLETED; FAILED and SCHEMA_DRIFT stop
 * it, and every state but COMPLETED can be resumed — except RESYNC_REQUIRED: the log can no longer
 * give the run's changes (its replication slot is lost or gone, or the table was truncated), so
 * retrying cannot help and nothing retries it; only a re-sync ({@code exportdesk resync}) moves it
 * on. FINALIZING means every chunk is delivered and the manifest may already be at the destination,
 * so a resume must not capture anything more.
 */
public enum RunState {
    PLANNED, CAPTURING, FINALIZING, COMPLETED, FAILED, SCHEMA_DRIFT, RESYNC_REQUIRED;

    public boolean finished() {
        return this == COMPLETED;
    }

    /** Stopped until someone re-syncs the contract: never attempted again as it stands. */
    public boolean awaitsResync() {
        return this == RESYNC_REQUIRED;
    }
}
