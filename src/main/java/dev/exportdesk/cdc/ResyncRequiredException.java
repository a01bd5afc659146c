package dev.exportdesk.cdc;

/**
 * The slot can no longer give every change since the last confirmed position: it was invalidated
 * ({@code wal_status = lost}, the server removed WAL it still needed) or dropped behind our back.
 * Retrying cannot help; the contract needs a new snapshot copy and a new slot ("re-sync required").
 */
public final class ResyncRequiredException extends CaptureException {
    /** Why the slot cannot give the changes: it is gone, or it is there but invalidated (must be dropped). */
    public enum Reason { MISSING, LOST }

    private final String slot;
    private final Reason reason;

    public ResyncRequiredException(String slot, Reason reason, String message) {
        super(message);
        this.slot = slot;
        this.reason = reason;
    }

    public String slot() {
        return slot;
    }

    public Reason reason() {
        return reason;
    }
}
