package dev.exportdesk.store;

/**
 * A write under a lease found that the lease is no longer this worker's: another worker claimed the
 * run (a higher epoch) or the lease was released. Nothing of the transaction was committed; the work
 * under the lease must stop at once and write nothing more. Deliberately not a {@link StoreException}:
 * the engine records a store failure on the run, which here would be a write the lease forbids.
 */
public final class LeaseLostException extends RuntimeException {
    private final Lease lease;

    public LeaseLostException(Lease lease, String why) {
        super("lease on run " + lease.runId() + " lost (this worker held epoch " + lease.epoch() + "): " + why
                + "; stopping this run and writing nothing more");
        this.lease = lease;
    }

    public Lease lease() {
        return lease;
    }
}
