package dev.exportdesk.store;

/** A worker process as it last told the store ({@code workers.state}). */
public enum WorkerState {
    RUNNING,
    /** Asked to stop (SIGTERM): parks its runs and releases its leases. */
    STOPPING,
    STOPPED
}
