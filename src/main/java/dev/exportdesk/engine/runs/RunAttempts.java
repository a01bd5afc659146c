package dev.exportdesk.engine.runs;

import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.store.LeaseLostException;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.RunState;
import dev.exportdesk.store.StoreException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start, the failure and the end of an attempt at a run, recorded alike for every kind of run,
 * and told in the run's own log ({@link RunLogs}) between an "attempt N started" and an "attempt N
 * ended" line.
 */
final class RunAttempts {
    private static final Logger LOG = LoggerFactory.getLogger(RunAttempts.class);

    private RunAttempts() {
    }

    /**
     * Runs one attempt of {@code run} with its log open on this thread: everything the engine logs
     * meanwhile for the run goes into the run's log, closed by a line saying how the attempt ended.
     */
    static RunResult logged(EngineContext ctx, RunRecord run, Supplier<RunResult> attempt) {
        int n = run.attempts() + 1;
        try (RunLogs.Session log = RunLogs.open(ctx, run.id())) {
            try {
                RunResult result = attempt.get();
                RunRecord r = result.run();
                LOG.info(RunLogs.ATTEMPT, "attempt {} ended: {}, {} row(s) in {} chunk(s){}", n, r.state(),
                        r.rowCount(), r.chunkCount(), r.error() == null ? "" : "; " + r.error());
                return result;
            } catch (LeaseLostException e) {
                // expected in team mode after a pause or a network blip: no stack trace, the reason says it all
                LOG.warn(RunLogs.ATTEMPT, "attempt {} ended without recording its outcome: {}", n, e.getMessage());
                throw e;
            } catch (RuntimeException | Error e) {
                LOG.error(RunLogs.ATTEMPT, "attempt {} ended without recording its outcome: {}", n, e.toString(), e);
                throw e;
            }
        }
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
        if (run.attempts() > 0) {
            LOG.info(RunLogs.ATTEMPT, "attempt {} of run {} ({} #{}, {}, contract v{}) started by {}, resuming from {}{}",
                    run.attempts() + 1, run.id(), run.contractName(), run.sequence(), run.mode().wire(),
                    run.contractVersion(), ctx.actor(), run.state(),
                    run.error() == null ? "" : " (" + run.error() + ")");
        } else {
            LOG.info(RunLogs.ATTEMPT, "attempt 1 of run {} ({} #{}, {}, contract v{}) started by {}", run.id(),
                    run.contractName(), run.sequence(), run.mode().wire(), run.contractVersion(), ctx.actor());
        }
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
