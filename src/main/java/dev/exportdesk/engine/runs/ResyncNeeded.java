package dev.exportdesk.engine.runs;

import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.RunState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log can no longer give this run's changes — the slot is lost or was dropped, or the table was
 * truncated — so the run stops in RESYNC_REQUIRED: unlike FAILED, no resume, schedule or worker
 * tries it again (each try would fail the same way and alert again), until {@code exportdesk resync}.
 */
final class ResyncNeeded extends Exception {
    private static final Logger LOG = LoggerFactory.getLogger(ResyncNeeded.class);

    ResyncNeeded(String message, Throwable cause) {
        super(message, cause);
    }

    /** Records the stop durably, with its audit entry. */
    static void record(EngineContext ctx, RunRecord run, String message) {
        LOG.warn("run {} of {} stopped: {}", run.sequence(), run.contractName(), message);
        ctx.store().updateDurably(c -> {
            ctx.store().runs().updateState(c, run.id(), RunState.RESYNC_REQUIRED, message, ctx.now());
            ctx.store().audit().append(c, ctx.now(), ctx.actor(), "run.resync-required", run.contractName()
                    + " run " + run.sequence(), null, message);
        });
    }
}
