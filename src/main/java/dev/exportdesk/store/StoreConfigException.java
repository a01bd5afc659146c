package dev.exportdesk.store;

/**
 * The store cannot be opened as configured: a refused store URL, a missing password, a master key
 * that is not the team's. The message names the setting to fix; nothing was written.
 */
public final class StoreConfigException extends StoreException {
    public StoreConfigException(String message) {
        super(message);
    }

    public StoreConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
