package dev.exportdesk.store;

/**
 * Where a run stands. PLANNED → CAPTURING → FINALIZING → COMPLETED; FAILED and SCHEMA_DRIFT stop
 * it. Every state but COMPLETED can be resumed. FINALIZING means every chunk is delivered and the
 * manifest may already be at the destination, so a resume must not capture anything more.
 */
public enum RunState {
    PLANNED, CAPTURING, FINALIZING, COMPLETED, FAILED, SCHEMA_DRIFT;

    public boolean finished() {
        return this == COMPLETED;
    }
}
