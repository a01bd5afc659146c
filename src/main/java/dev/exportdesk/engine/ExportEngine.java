package dev.exportdesk.engine;

import dev.exportdesk.chunk.DeliveryLayout;
import dev.exportdesk.engine.runs.CorrectionCapture;
import dev.exportdesk.engine.runs.CorrectionPlanner;
import dev.exportdesk.engine.runs.CursorCapture;
import dev.exportdesk.engine.runs.LogicalCapture;
import dev.exportdesk.engine.runs.RunClaims;
import dev.exportdesk.engine.runs.RunPlanner;
import dev.exportdesk.engine.runs.RunProtocol;
import dev.exportdesk.engine.runs.RunResync;
import dev.exportdesk.engine.runs.SlotRetirement;
import dev.exportdesk.engine.runs.RunResult;
import dev.exportdesk.engine.runs.SegmentWork;
import dev.exportdesk.engine.team.TeamRunRefusedException;
import dev.exportdesk.store.RunMode;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.StoreMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs and resumes exports. The CLI and the console call this; neither touches the pipeline
 * directly. One instance per workspace; calls for different contracts may run on different threads.
 */
public final class ExportEngine {
    /** What to tell a user when {@link #correct} finds nothing left to correct. */
    public static final String NOTHING_TO_CORRECT = "nothing to correct: every difference the latest deep "
            + "verification found is carried by a later run or the next increment, or already corrected";

    private final EngineContext ctx;
    private final RunPlanner planner;
    private final RunProtocol protocol;
    private final CursorCapture cursor;
    private final RunLookup lookup;
    private final CorrectionPlanner correctionPlanner;
    private final CorrectionCapture corrections;
    private final LogicalCapture logical;
    private final RunResync resync;
    private final SlotRetirement slots;
    private final ContractService contracts;

    public ExportEngine(EngineContext ctx, ContractService contracts) {
        this(ctx, contracts, null);
    }

    /** A worker's engine: {@code segments} holds its claims on key ranges of split runs. */
    public ExportEngine(EngineContext ctx, ContractService contracts, SegmentWork segments) {
        this.ctx = ctx;
        this.planner = new RunPlanner(ctx, contracts);
        this.protocol = new RunProtocol(ctx, contracts);
        this.cursor = new CursorCapture(ctx, contracts, segments);
        this.lookup = new RunLookup(ctx);
        this.correctionPlanner = new CorrectionPlanner(ctx, contracts);
        this.corrections = new CorrectionCapture(ctx);
        this.logical = new LogicalCapture(ctx, cursor);
        this.resync = new RunResync(ctx, contracts);
        this.slots = new SlotRetirement(ctx, contracts);
        this.contracts = contracts;
    }

    /** What dropping {@code contract}'s replication slot would do now ({@link SlotRetirement}); changes nothing. */
    public SlotRetirement.Plan dropSlotPlan(String contract) {
        return slots.plan(contract);
    }

    /** Drops the replication slot {@code contract} no longer streams from ({@link SlotRetirement}). */
    public SlotRetirement.Plan dropSlot(String contract) {
        return slots.apply(contract);
    }

    /** What a re-sync of {@code contract} would do now ({@link RunResync}); changes nothing. */
    public RunResync.Plan resyncPlan(String contract, String from) {
        return resync.plan(contract, from);
    }

    /**
     * Makes {@code contract}'s next run a full export of its table, or with {@code from} a re-send of
     * what was shipped from that cursor value on ({@link RunResync}); that run is not started. A stopped stream run that sealed chunks is first closed at its last one and completed
     * with them here (delivering those not delivered yet): when that fails, the run stays resumable
     * and the re-sync stops, saying why.
     */
    public RunResync.Done resync(String contract, String from) {
        RunResync.Plan plan = resync.plan(contract, from);
        if (plan.closing() == null) {
            return resync.apply(contract, from);
        }
        if (ctx.store().mode() == StoreMode.TEAM) {
            throw new EngineException("run #" + plan.closing().sequence() + " of " + contract + " sealed chunks "
                    + "before it stopped; completing it with them needs an executor, and a team workspace has none "
                    + "outside its workers: this re-sync is not built for team stores yet (docs/cdc.md, \"Re-sync\")");
        }
        RunResult closed = claimAndExecute(resync.close(plan), ProgressListener.NONE);
        if (!closed.completed()) {
            RunRecord r = closed.run();
            throw new EngineException("run #" + r.sequence() + " of " + contract + " was closed at its last sealed "
                    + "chunk, but completing it failed: " + r.error() + ". Resume it (exportdesk resume "
                    + r.id().substring(0, 8) + "), then re-sync again");
        }
        RunResync.Done done = resync.apply(contract);
        return new RunResync.Done(plan, done.run(), closed);
    }

    /** Runs a contract: completes its unfinished run if there is one, else plans and runs the next. */
    public RunResult run(String contract, ProgressListener listener) {
        requireExecutor();
        try (RunClaims.Claim claim = ctx.claims().claim(contract, ctx.actor())) {
            return execute(planner.planOrResume(contract), listener);
        }
    }

    /**
     * `correct CONTRACT|RUN`: ships, as a correction run, the rows the latest deep verification
     * found differing that no later run carries (docs/verification.md, "Correction chunks").
     * Empty when there is nothing left to correct.
     */
    public Optional<RunResult> correct(String ref, ProgressListener listener) {
        requireExecutor();
        boolean isContract = ctx.store().inTransaction(c -> ctx.store().contracts().find(c, ref).isPresent());
        String contract = isContract ? ref : lookup.find(ref).contractName();
        try (RunClaims.Claim claim = ctx.claims().claim(contract, ctx.actor())) {
            return correctionPlanner.plan(ref).map(run -> protocol.execute(run, listener, corrections));
        }
    }

    /**
     * How many keys {@code correct RUN} would ship now for one run (0: nothing left to correct, or
     * the run was never deep-verified); read-only.
     */
    public long correctableKeys(String runRef) {
        return correctionPlanner.pendingKeys(runRef);
    }

    /**
     * Every run follows the one protocol; a correction run captures its keys, a logical contract's
     * run the table copy or the log, every other the cursor's range.
     */
    private RunResult execute(RunRecord run, ProgressListener listener) {
        if (run.state().awaitsResync()) {
            // each attempt would fail the same way: the run stays as it is until `resync`
            return new RunResult(run, null, DeliveryLayout.runDirectory(contracts.load(run.contractName(),
                    run.contractVersion()).contract(), run.contractVersion(), run.sequence(), run.plannedAt()));
        }
        if (run.mode() == RunMode.CORRECTION) {
            return protocol.execute(run, listener, corrections);
        }
        boolean fromLog = contracts.load(run.contractName(), run.contractVersion()).contract().capture().logical();
        return protocol.execute(run, listener, fromLog ? logical : cursor);
    }

    /** Executes an existing run once its contract is claimed; re-read then, as another may have finished it. */
    private RunResult claimAndExecute(RunRecord run, ProgressListener listener) {
        requireExecutor();
        try (RunClaims.Claim claim = ctx.claims().claim(run.contractName(), ctx.actor())) {
            RunRecord now = lookup.find(run.id());
            if (now.state().finished()) {
                throw new EngineException("run " + now.id() + " (" + now.contractName() + " #" + now.sequence()
                        + ") is already completed");
            }
            return execute(now, listener);
        }
    }

    /** Resumes one run (by id or unique id prefix). */
    public RunResult resume(String runRef, ProgressListener listener) {
        return claimAndExecute(lookup.find(runRef), listener);
    }

    /** Resumes every unfinished run, oldest first. */
    public List<RunResult> resumeAll(ProgressListener listener) {
        requireExecutor();
        List<RunRecord> unfinished = ctx.store().inTransaction(c -> ctx.store().runs().allUnfinished(c));
        List<RunResult> results = new ArrayList<>();
        for (RunRecord run : unfinished) {
            results.add(claimAndExecute(run, listener));
        }
        return results;
    }

    /** Captures a key range of a split run a worker claimed ({@link CursorCapture#runSegment}). */
    public dev.exportdesk.store.SegmentState captureRange(dev.exportdesk.store.Lease lease, ProgressListener listener) {
        return cursor.runSegment(lease, listener);
    }

    /**
     * In a team store only a lease makes an executor: a process that ran a run without one (a CLI
     * command, a console) would be a second executor beside the worker that claims the same run, and
     * fencing could not stop it. Workers reach here through a store fenced by their lease.
     */
    private void requireExecutor() {
        if (ctx.store().mode() == StoreMode.TEAM && ctx.store().lease().isEmpty()) {
            throw new TeamRunRefusedException();
        }
    }
}
