package dev.exportdesk.store;

/**
 * A write under a claim found that the claim is no longer this worker's: another worker claimed the
 * run, key range or task since (a higher epoch) or the lease was released. Nothing of the transaction
 * was committed; the work under the claim must stop at once and write nothing more. Deliberately not
 * a {@link StoreException}: the engine records a store failure on the run, which here would be a
 * write the lease forbids.
 */
public final class LeaseLostException extends RuntimeException {
    private final Fence fence;

    public LeaseLostException(Fence fence, String why) {
        super((fence instanceof TaskClaim ? "claim on " : "lease on ") + fence.describe() + " lost (this worker held epoch "
                + fence.epoch() + "): " + why + "; stopping " + (fence instanceof TaskClaim ? "this work" : "this run")
                + " and writing nothing more");
        this.fence = fence;
    }

    public Fence fence() {
        return fence;
    }
}
