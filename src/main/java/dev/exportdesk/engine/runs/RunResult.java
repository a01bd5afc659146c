package dev.exportdesk.engine.runs;

import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.RunState;

/** How a run ended this time, and where its delivery lives. */
public record RunResult(RunRecord run, String destination, String runDirectory) {
    public boolean completed() {
        return run.state() == RunState.COMPLETED;
    }
}
