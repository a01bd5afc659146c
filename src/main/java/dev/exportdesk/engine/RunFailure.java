package dev.exportdesk.engine;

/** Ends the current attempt of a run; the run is left FAILED (resumable) with this message. */
final class RunFailure extends Exception {
    RunFailure(String message, Throwable cause) {
        super(message, cause);
    }

    RunFailure(String message) {
        super(message);
    }
}
