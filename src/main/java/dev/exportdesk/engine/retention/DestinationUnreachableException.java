package dev.exportdesk.engine.retention;

import dev.exportdesk.engine.EngineException;

/** Retention could not read or delete at a destination (the command line exits with 7, unavailable). */
public final class DestinationUnreachableException extends EngineException {
    public DestinationUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
