package dev.exportdesk.engine.runs;

import dev.exportdesk.engine.EngineException;

/**
 * A capture stopped from outside at its next progress report — a Cancel, a lost lease or claim, a
 * worker stopping — as opposed to one that failed. A key range stopped so goes back to the others.
 */
public final class CaptureStopped extends EngineException {
    public CaptureStopped(String message) {
        super(message);
    }
}
