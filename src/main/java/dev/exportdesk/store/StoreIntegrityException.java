package dev.exportdesk.store;

/**
 * The workspace's state store is missing, empty or not the one this workspace created (before
 * opening or while open). Nothing may carry on as if it were a new workspace: the message says how
 * to restore.
 */
public final class StoreIntegrityException extends StoreException {
    public StoreIntegrityException(String message) {
        super(message);
    }
}
