package dev.exportdesk.transfer;

/** The server's host key is unknown or changed: permanent, never retried, and audited by the engine. */
public final class HostKeyRejectedException extends DeliveryException {
    private final String presented;

    public HostKeyRejectedException(String message, String presented) {
        super(message, true);
        this.presented = presented;
    }

    /** The fingerprint the server presented ("SHA256:…"). */
    public String presented() {
        return presented;
    }
}
