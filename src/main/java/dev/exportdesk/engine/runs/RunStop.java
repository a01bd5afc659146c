package dev.exportdesk.engine.runs;

import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.RunState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A run stopped for a reason retrying cannot fix, recorded durably with its audit entry. */
final class RunStop {
    private static final Logger LOG = LoggerFactory.getLogger(RunStop.class);

    private RunStop() {
    }

    static void record(EngineContext ctx, RunRecord run, RunState state, String action, String message) {
        LOG.warn("run {} of {} stopped: {}", run.sequence(), run.contractName(), message);
        ctx.store().updateDurably(c -> {
            ctx.store().runs().updateState(c, run.id(), state, message, ctx.now());
            ctx.store().audit().append(c, ctx.now(), ctx.actor(), action, run.contractName() + " run "
                    + run.sequence(), null, message);
        });
    }
}
