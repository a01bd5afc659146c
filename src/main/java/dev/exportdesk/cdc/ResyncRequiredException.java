package dev.exportdesk.cdc;

/**
 * The slot can no longer give every change since the last confirmed position: it was invalidated
 * ({@code wal_status = lost}, the server removed WAL it still needed) or dropped behind our back.
 * Retrying cannot help; the contract needs a new snapshot copy and a new slot ("re-sync required").
 */
public final class ResyncRequiredException extends CaptureException {
    private final String slot;

    public ResyncRequiredException(String slot, String message) {
        super(message);
        this.slot = slot;
    }

    public String slot() {
        return slot;
    }
}
