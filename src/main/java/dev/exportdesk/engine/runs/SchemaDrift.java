package dev.exportdesk.engine.runs;

import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.RunState;

/**
 * The source's table no longer has the columns or types the contract was made for: the run stops in
 * SCHEMA_DRIFT (never FAILED, so no retry repeats it) until a steward decides. Found before a run
 * reads (the schema's fingerprint) or, by log-based capture, in the log itself (DDL in the range).
 */
final class SchemaDrift extends Exception {
    SchemaDrift(String message, Throwable cause) {
        super(message, cause);
    }

    /** Records the stop durably, with its audit entry. */
    static void record(EngineContext ctx, RunRecord run, String message) {
        RunStop.record(ctx, run, RunState.SCHEMA_DRIFT, "run.schema-drift", message);
    }
}
