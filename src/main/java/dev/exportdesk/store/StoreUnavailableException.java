package dev.exportdesk.store;

/** The team store's database could not be reached or refused the sign-in; nothing was written. */
public final class StoreUnavailableException extends StoreException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
