package dev.exportdesk.engine;

import dev.exportdesk.store.RunState;
import dev.exportdesk.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Leaves a run FAILED (resumable) with its reason, durably and audited, for every kind of run. */
final class RunFailures {
    private static final Logger LOG = LoggerFactory.getLogger(RunFailures.class);

    private RunFailures() {
    }

    static void record(EngineContext ctx, String runId, String message, Exception cause) {
        LOG.warn("run {} failed: {}", runId, message, cause);
        try {
            ctx.store().updateDurably(c -> {
                ctx.store().runs().updateState(c, runId, RunState.FAILED, message, ctx.now());
                ctx.store().audit().append(c, ctx.now(), ctx.actor(), "run.fail", runId, null, message);
            });
        } catch (StoreException e) {
            // the run stays in its last recorded state, which resume also picks up
            LOG.error("could not record the failure of run {}: {}", runId, e.getMessage());
        }
    }
}
