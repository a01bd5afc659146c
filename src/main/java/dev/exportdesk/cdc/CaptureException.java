package dev.exportdesk.cdc;

/**
 * Log-based capture cannot go on: a setup the DBA must change, a stream that broke its protocol, a
 * transaction larger than the bounds. Messages name the table, column or setting involved and never
 * carry row values or credentials.
 */
public class CaptureException extends RuntimeException {
    public CaptureException(String message) {
        super(message);
    }

    public CaptureException(String message, Throwable cause) {
        super(message, cause);
    }
}
