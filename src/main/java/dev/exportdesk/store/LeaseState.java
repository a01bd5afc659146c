package dev.exportdesk.store;

/** The state of a run's lease ({@code run_leases.state}). */
public enum LeaseState {
    /** A worker holds it and renews it; another may take it over only once it has expired. */
    HELD,
    /** Its worker stopped cleanly in the middle of the run: any worker resumes it at once. */
    PARKED,
    /** Nobody holds it: the run completed or failed; the schedule or a request starts it again. */
    RELEASED
}
