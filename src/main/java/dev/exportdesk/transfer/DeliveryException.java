package dev.exportdesk.transfer;

/**
 * A delivery failed. Transient failures (I/O hiccups, a full disk that may be freed, a dropped
 * connection) are retried with backoff; permanent ones (refused overwrite, permission denied, a
 * path outside the root) fail the chunk with this message.
 */
public class DeliveryException extends Exception {
    private final boolean permanent;

    public DeliveryException(String message, boolean permanent, Throwable cause) {
        super(message, cause);
        this.permanent = permanent;
    }

    public DeliveryException(String message, boolean permanent) {
        this(message, permanent, null);
    }

    public boolean permanent() {
        return permanent;
    }
}
