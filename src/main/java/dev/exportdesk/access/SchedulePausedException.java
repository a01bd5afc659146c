package dev.exportdesk.access;

import dev.exportdesk.engine.EngineException;

/**
 * The console's schedule found a contract due, and it was paused before the run started: nothing
 * was started. The scheduler treats it as "not started", not as a failed run.
 */
public final class SchedulePausedException extends EngineException {
    public SchedulePausedException(String contract) {
        super(contract + " is paused: the schedule does not start it (Run now does)");
    }
}
