package dev.exportdesk.engine.runs;

import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.RunState;

/**
 * The log can no longer give this run's changes — the slot is lost or was dropped (a TRUNCATE
 * ships instead, as a truncate-first chunk) — so the run stops in RESYNC_REQUIRED: unlike FAILED, no resume, schedule or worker
 * tries it again (each try would fail the same way and alert again), until {@code exportdesk resync}.
 */
final class ResyncNeeded extends Exception {
    ResyncNeeded(String message, Throwable cause) {
        super(message, cause);
    }

    /** Records the stop durably, with its audit entry. */
    static void record(EngineContext ctx, RunRecord run, String message) {
        RunStop.record(ctx, run, RunState.RESYNC_REQUIRED, "run.resync-required", message);
    }
}
