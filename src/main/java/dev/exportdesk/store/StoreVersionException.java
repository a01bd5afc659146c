package dev.exportdesk.store;

/**
 * The store's schema is not the one this build runs on: newer (written by a later ExportDesk, which
 * this build must not touch) or, for a shared store, older and waiting for {@code store migrate}.
 * Nothing was written.
 */
public final class StoreVersionException extends StoreException {
    public StoreVersionException(String message) {
        super(message);
    }
}
