package dev.exportdesk.access;

/**
 * A signed-in session can do nothing more: an admin disabled or removed the account, or reset its
 * password, after the session began. The message says so in words a person understands.
 */
public final class SessionEndedException extends RuntimeException {
    private final String reason;

    SessionEndedException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** "disabled", "removed" or "password reset" (what the audit log records). */
    public String reason() {
        return reason;
    }
}
