package dev.exportdesk.engine;

/** A request the engine cannot carry out, in words for the person who asked (unknown contract…). */
public class EngineException extends RuntimeException {
    public EngineException(String message) {
        super(message);
    }

    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
