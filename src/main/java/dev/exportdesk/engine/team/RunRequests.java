package dev.exportdesk.engine.team;

import dev.exportdesk.engine.ContractService;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.engine.EngineException;
import dev.exportdesk.engine.RunLookup;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.RunRequest;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Team mode: Run now, Resume, Cancel and Correct asked from a console or the CLI become rows in the store that
 * a worker executes ({@link TeamWorker}); asking returns at once. Each request is audited with the
 * actor who made it; its outcome is recorded on it when a worker has acted.
 */
public final class RunRequests {
    private static final int RECENT = 50;
    private final EngineContext ctx;
    private final ContractService contracts;
    private final RunLookup lookup;

    public RunRequests(EngineContext ctx, ContractService contracts) {
        this.ctx = ctx;
        this.contracts = contracts;
        this.lookup = new RunLookup(ctx);
    }

    /** Run now: a worker completes the contract's unfinished run, or starts its next one. */
    public RunRequest runNow(String contract) {
        contracts.load(contract); // names an unknown contract in words
        return ask(RunRequest.Kind.RUN, contract, null);
    }

    /** Resume a run (id, unique id prefix or contract name) that is not complete. */
    public RunRequest resume(String runRef) {
        RunRecord run = lookup.find(runRef);
        if (run.state().finished()) {
            throw new EngineException("run " + run.id() + " (" + run.contractName() + " #" + run.sequence()
                    + ") is already completed");
        }
        return ask(RunRequest.Kind.RESUME, run.contractName(), run.id());
    }

    /**
     * Ship a correction (issue 13): of every completed run of a contract, or of one completed run; a
     * worker plans it from the latest deep verifications and executes it, as {@code correct} does.
     */
    public RunRequest correct(String ref) {
        boolean isContract = ctx.store().inTransaction(c -> ctx.store().contracts().find(c, ref).isPresent());
        if (isContract) {
            return ask(RunRequest.Kind.CORRECT, ref, null);
        }
        RunRecord run = lookup.find(ref);
        if (!run.state().finished()) {
            throw new EngineException("run " + run.id() + " (" + run.contractName() + " #" + run.sequence() + ") is "
                    + run.state() + "; only completed runs can be corrected (resume it first)");
        }
        return ask(RunRequest.Kind.CORRECT, run.contractName(), run.id());
    }

    /** Cancel a run: the worker executing it stops it at its next progress report (FAILED, resumable). */
    public RunRequest cancel(String runRef) {
        RunRecord run = lookup.find(runRef);
        if (run.state().finished()) {
            throw new EngineException("run " + run.id() + " (" + run.contractName() + " #" + run.sequence()
                    + ") is already completed; there is nothing to cancel");
        }
        return ask(RunRequest.Kind.CANCEL, run.contractName(), run.id());
    }

    public Optional<RunRequest> find(String id) {
        return ctx.store().inTransaction(c -> ctx.store().requests().find(c, id));
    }

    /** The newest requests, newest first. */
    public List<RunRequest> recent() {
        return ctx.store().inTransaction(c -> ctx.store().requests().recent(c, RECENT));
    }

    private RunRequest ask(RunRequest.Kind kind, String contract, String runId) {
        RunRequest r = new RunRequest(UUID.randomUUID().toString(), kind, contract, runId, ctx.actor(), ctx.now(),
                RunRequest.State.PENDING, null, null, null);
        ctx.store().updateDurably(c -> {
            ctx.store().requests().insert(c, r);
            ctx.store().audit().append(c, r.requestedAt(), ctx.actor(), "run.request." + kind.name().toLowerCase(),
                    runId == null ? contract : contract + " run " + runId, null, "{\"request_id\":\"" + r.id() + "\"}");
        });
        return r;
    }
}
