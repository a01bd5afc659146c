package dev.exportdesk.store;

/** A state-store operation failed; wraps the driver's exception with what was being done. */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
