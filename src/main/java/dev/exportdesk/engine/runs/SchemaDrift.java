package dev.exportdesk.engine.runs;

import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.RunState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The source's table no longer has the columns or types the contract was made for: the run stops in
 * SCHEMA_DRIFT (never FAILED, so no retry repeats it) until a steward decides. Found before a run
 * reads (the schema's fingerprint) or, by log-based capture, in the log itself (DDL in the range).
 */
final class SchemaDrift extends Exception {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaDrift.class);

    SchemaDrift(String message, Throwable cause) {
        super(message, cause);
    }

    /** Records the stop durably, with its audit entry. */
    static void record(EngineContext ctx, RunRecord run, String message) {
        LOG.warn("run {} of {} stopped: {}", run.sequence(), run.contractName(), message);
        ctx.store().updateDurably(c -> {
            ctx.store().runs().updateState(c, run.id(), RunState.SCHEMA_DRIFT, message, ctx.now());
            ctx.store().audit().append(c, ctx.now(), ctx.actor(), "run.schema-drift", run.contractName() + " run "
                    + run.sequence(), null, message);
        });
    }
}
