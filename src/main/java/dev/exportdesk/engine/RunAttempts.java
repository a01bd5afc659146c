package dev.exportdesk.engine;

import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.RunState;
import dev.exportdesk.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The start and the failure of an attempt at a run, recorded alike for every kind of run. */
final class RunAttempts {
    private static final Logger LOG = LoggerFactory.getLogger(RunAttempts.class);

    private RunAttempts() {
    }

    /** Counts the attempt; one after the first is a resume, audited with the state it resumes from. */
    static void begin(EngineContext ctx, RunRecord run) {
        ctx.store().update(c -> {
            ctx.store().runs().countAttempt(c, run.id(), ctx.now());
            if (run.attempts() > 0) {
                ctx.store().audit().append(c, ctx.now(), ctx.actor(), "run.resume", run.contractName() + " run "
                        + run.sequence(), run.state().name(), null);
            }
        });
    }

    /** Leaves the run FAILED (resumable) with its reason, durably and audited. */
    static void fail(EngineContext ctx, String runId, String message, Exception cause) {
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
