package dev.exportdesk.source;

/** The source database could not be reached or read; the message says which and why. */
public class SourceException extends RuntimeException {
    public SourceException(String message, Throwable cause) {
        super(message, cause);
    }

    public SourceException(String message) {
        super(message);
    }
}
