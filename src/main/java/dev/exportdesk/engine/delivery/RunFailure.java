package dev.exportdesk.engine.delivery;

/** Ends the current attempt of a run; the run is left FAILED (resumable) with this message. */
public final class RunFailure extends Exception {
    public RunFailure(String message, Throwable cause) {
        super(message, cause);
    }

    public RunFailure(String message) {
        super(message);
    }
}
