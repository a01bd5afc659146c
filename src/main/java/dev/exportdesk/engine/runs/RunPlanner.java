package dev.exportdesk.engine.runs;

import dev.exportdesk.engine.ContractService;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.store.Checkpoint;
import dev.exportdesk.store.RunMode;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.RunState;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Creates runs. A contract has at most one unfinished run: asking for a new one returns it, so
 * {@code run} after a crash completes the interrupted run first and sequences stay gap-free.
 */
public final class RunPlanner {
    private final EngineContext ctx;
    private final ContractService contracts;

    public RunPlanner(EngineContext ctx, ContractService contracts) {
        this.ctx = ctx;
        this.contracts = contracts;
    }

    public RunRecord planOrResume(String contractName) {
        ContractService.LoadedContract loaded = contracts.load(contractName);
        return ctx.store().inTransaction(c -> {
            Optional<RunRecord> unfinished = ctx.store().runs().unfinished(c, contractName);
            if (unfinished.isPresent()) {
                return unfinished.get();
            }
            return plan(c, loaded);
        });
    }

    /** Plans the contract's next run in the caller's transaction (which found no unfinished run). */
    public RunRecord plan(Connection c, ContractService.LoadedContract loaded) throws SQLException {
        return plan(c, loaded, false);
    }

    /**
     * As {@link #plan(Connection, ContractService.LoadedContract)}; {@code copy}: a full export
     * whatever the checkpoint says (a re-sync).
     */
    RunRecord plan(Connection c, ContractService.LoadedContract loaded, boolean copy) throws SQLException {
        String contractName = loaded.contract().name();
        Checkpoint cp = ctx.store().checkpoints().get(c, contractName);
        Instant now = ctx.now();
        // a logical contract's first run copies the table; every later one streams from the checkpoint's log
        // position. A contract that changed how it captures starts again with a copy: a cursor's checkpoint is
        // no log position, and a log position is no cursor
        boolean logical = loaded.contract().capture().logical();
        boolean fromLog = cp.cursorValue() != null && LogicalCapture.isPosition(cp.cursorValue());
        boolean continues = !copy && (logical ? fromLog : loaded.contract().incremental() && !fromLog);
        RunMode mode = continues ? RunMode.INCREMENTAL : RunMode.FULL;
        RunRecord run = new RunRecord(UUID.randomUUID().toString(), contractName, loaded.version().version(),
                cp.lastSequence() + 1, mode, RunState.PLANNED, now, null,
                mode == RunMode.INCREMENTAL ? cp.cursorValue() : null, null, null, null, 0, 0, 0, 0,
                cp.lastManifestSha256(), null, null, now);
        return insert(c, run);
    }

    /**
     * Plans the contract's next run as a re-send from {@code from} (an encoded canonical value of the
     * leading cursor column, at most the checkpoint's): it goes on from the checkpoint as an increment
     * would, and first sends again every row from {@code from} up to the checkpoint.
     */
    RunRecord planResend(Connection c, ContractService.LoadedContract loaded, String from) throws SQLException {
        Checkpoint cp = ctx.store().checkpoints().get(c, loaded.contract().name());
        Instant now = ctx.now();
        return insert(c, new RunRecord(UUID.randomUUID().toString(), loaded.contract().name(),
                loaded.version().version(), cp.lastSequence() + 1, RunMode.RESEND, RunState.PLANNED, now, null,
                cp.cursorValue(), from, null, null, 0, 0, 0, 0, cp.lastManifestSha256(), null, null, now));
    }

    private RunRecord insert(Connection c, RunRecord run) throws SQLException {
        ctx.store().runs().insert(c, run);
        ctx.store().audit().append(c, run.plannedAt(), ctx.actor(), "run.plan", run.contractName() + " run "
                + run.sequence(), null, "{\"run_id\":\"" + run.id() + "\",\"contract_version\":"
                + run.contractVersion() + "}");
        return run;
    }
}
