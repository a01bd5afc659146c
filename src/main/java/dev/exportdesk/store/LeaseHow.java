package dev.exportdesk.store;

/** How a worker came to claim a run ({@code lease_history.how}). */
public enum LeaseHow {
    /** The contract's schedule made the run due, or its unfinished run waited for a worker. */
    SCHEDULE,
    /** An operator's Run now, Resume or Correct request. */
    REQUEST,
    /**
     * The run's worker went silent (its lease expired unreleased: recorded so whichever way the
     * claiming worker found the run, since takeovers are what monitoring counts), or it stopped and
     * parked the run, which a worker's look for takeovers found.
     */
    TAKEOVER
}
