package dev.exportdesk.store;

/** The state of one key range of a split run ({@code run_segments.state}, V23). */
public enum SegmentState {
    /** Nobody captures it: claimable by any worker. */
    OPEN,
    /** A worker captures it under a lease; another may take it over once the lease expired. */
    HELD,
    /** Every row of the range is sealed and delivered. */
    CAPTURED,
    /** Its capture failed; the run fails with its error, and a resume opens it again. */
    FAILED
}
