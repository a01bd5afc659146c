package dev.exportdesk.access;

import dev.exportdesk.engine.EngineException;

/**
 * Thrown from a run's progress listener when the user cancelled it, or when the session that
 * started it ended (an admin disabled or removed the account, or reset its password). The engine
 * treats it like any engine error: the run is marked FAILED with this message and stays resumable,
 * by another operator. Cancellation is
 * cooperative on purpose: interrupting the engine thread can close the H2 state store's file
 * channel (NIO closes a channel on interrupt), which takes the whole workspace down.
 */
public final class RunCancelledException extends EngineException {
    private static final String BY = "cancelled by ";

    public RunCancelledException(String user) {
        super(BY + user);
    }

    /**
     * Whether a run's stored error says a person cancelled it: "cancelled by USER" from here, or the
     * engine's "cancelled" when its thread was interrupted. The run stays FAILED (resumable) in the
     * store; the console presents it as cancelled rather than as a failure.
     */
    public static boolean describes(String error) {
        return error != null && (error.startsWith(BY) || error.equals("cancelled"));
    }

    private RunCancelledException(String user, SessionEndedException ended) {
        super("stopped: the session of " + user + " ended (account " + ended.reason() + ")");
    }

    static RunCancelledException sessionEnded(String user, SessionEndedException ended) {
        return new RunCancelledException(user, ended);
    }
}
