package dev.exportdesk.ledger;

/** A ledger that is malformed, inconsistent or whose signature does not verify. */
public final class LedgerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LedgerException(String message) {
        super(message);
    }

    public LedgerException(String message, Throwable cause) {
        super(message, cause);
    }
}
