package dev.exportdesk.engine;

/**
 * A capture stopped from outside at its next progress report — a Cancel, a lost lease or claim, a
 * worker stopping — as opposed to one that failed. A key range stopped so goes back to the others.
 */
final class CaptureStopped extends EngineException {
    CaptureStopped(String message) {
        super(message);
    }
}
