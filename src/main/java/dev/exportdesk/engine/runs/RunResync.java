package dev.exportdesk.engine.runs;

import dev.exportdesk.contract.Contract;
import dev.exportdesk.engine.ContractService;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.engine.EngineException;
import dev.exportdesk.source.CursorCodec;
import dev.exportdesk.store.ChunkRecord;
import dev.exportdesk.store.LeaseState;
import dev.exportdesk.store.RunMode;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.RunState;
import dev.exportdesk.store.StoreMode;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.postgresql.replication.LogSequenceNumber;

/**
 * A re-sync: the contract's next run sends the whole table again as a full export (manifest
 * {@code mode: "full"}), in the sequence its manifests already follow. It is the way on when the
 * changes since the last delivery cannot be had — a logical contract's slot was lost or dropped, its
 * table was truncated — or when a partner lost their copy. An unfinished run that sealed nothing
 * becomes that export (a stream run stopped by a lost slot or a TRUNCATE before its first chunk).
 * A stream run that sealed chunks may have delivered them, and a sealed chunk never changes: that run
 * is closed at its last sealed chunk ({@link #close}) and completed with the chunks it has, and the
 * full export follows it. A logical contract's slot is dropped, so the copy creates it anew with an
 * exported snapshot (a lost slot cannot be streamed).
 */
public final class RunResync {
    /**
     * What a re-sync will do, before it does it ({@code --dry-run}).
     *
     * @param reused the unfinished run that becomes the full export (null: a new run is planned)
     * @param closing a stopped stream run that sealed chunks: completed with them first (null: none)
     * @param closingChunks how many chunks {@code closing} sealed
     * @param slot a logical contract's slot (null for cursor contracts)
     * @param slotState the slot at the source now: "missing", "lost", "active", or its wal_status in lower case
     * @param from a re-send's start ({@code --from}): null for a full export
     */
    public record Plan(String contract, int contractVersion, long sequence, RunRecord reused, RunRecord closing,
                       long closingChunks, String slot, String slotState, Resend from) {
        public String describe() {
            if (from != null) {
                return contract + " run #" + sequence + " (new) sends again every row whose " + from.column()
                        + " is at or after " + from.display() + " up to where run #" + (sequence - 1) + " ended ("
                        + from.rows() + " row(s) at the source now), then what changed since, under contract version "
                        + contractVersion + ": the partner applies them over what it holds (manifest mode \"resend\", "
                        + "resend_from " + from.display() + ")";
            }
            StringBuilder sb = new StringBuilder();
            if (closing != null) {
                sb.append(contract).append(" run #").append(closing.sequence()).append(" (run ")
                        .append(closing.id(), 0, 8).append(", ").append(closing.state().name())
                        .append(") keeps the ").append(closingChunks).append(" chunk(s) it sealed and is completed "
                                + "with them first (those not delivered yet are delivered now); then ");
            }
            sb.append(contract).append(" run #").append(sequence).append(reused == null ? " (new)" : " (run "
                    + reused.id().substring(0, 8) + ", " + reused.state().name() + ", nothing sealed)")
                    .append(" becomes a full export of the table under contract version ").append(contractVersion)
                    .append(": the partner receives every row again (manifest mode \"full\") and applies it over "
                            + "what it holds");
            if (slot != null) {
                sb.append("; replication slot ").append(slot).append(" (").append(slotState).append(") ")
                        .append("missing".equals(slotState) ? "is created anew by the copy"
                                : "is dropped now and created anew by the copy");
            }
            return sb.toString();
        }
    }

    /**
     * Where a re-send starts: the leading cursor column, the watermark as the operator reads it and
     * as the capture compares it (encoded), and how many rows from it up to the checkpoint the
     * source holds now (what the run sends again, before what changed since).
     */
    public record Resend(String column, String display, String value, long rows) {
    }

    private final EngineContext ctx;
    private final ContractService contracts;
    private final RunPlanner planner;

    public RunResync(EngineContext ctx, ContractService contracts) {
        this.ctx = ctx;
        this.contracts = contracts;
        this.planner = new RunPlanner(ctx, contracts);
    }

    /** What {@link #apply} would do now; changes nothing. Refusals are {@link EngineException}s that say why. */
    public Plan plan(String contractName) {
        return plan(contractName, null);
    }

    /**
     * As {@link #plan(String)}; {@code from} (a value of the leading cursor column; null: the whole
     * table) makes it a re-send of what was shipped from that value on, for a cursor contract whose
     * partner lost part of its copy.
     */
    public Plan plan(String contractName, String from) {
        if (from != null) {
            return ResendPlan.plan(ctx, contracts.load(contractName), from);
        }
        ContractService.LoadedContract loaded = contracts.load(contractName);
        Contract contract = loaded.contract();
        Optional<RunRecord> unfinished = ctx.store().inTransaction(c -> ctx.store().runs().unfinished(c, contractName));
        long sequence;
        if (unfinished.isPresent()) {
            RunRecord run = unfinished.get();
            if (run.state() == RunState.FINALIZING) {
                throw new EngineException("run #" + run.sequence() + " of " + contractName + " is finalizing (its "
                        + "manifest may be at the destination already): resume it first, then re-sync");
            }
            long sealed = ctx.store().inTransaction(c -> ctx.store().chunks().forRun(c, run.id())).stream()
                    .filter(ch -> ch.state().sealed()).count();
            if (sealed > 0 && !closable(contract, run)) {
                throw new EngineException("run #" + run.sequence() + " of " + contractName + " sealed " + sealed
                        + " chunk(s) before it stopped, which may be at the destination already: resume it first "
                        + "(it goes on from its last sealed chunk), then re-sync");
            }
            ctx.store().inTransaction(c -> ctx.store().leases().find(c, run.id()))
                    .filter(l -> l.state() == LeaseState.HELD).ifPresent(l -> {
                        throw new EngineException("run #" + run.sequence() + " of " + contractName + " is held by "
                                + "worker " + l.holder() + ": stop it, or let its lease expire, then re-sync");
                    });
            if (sealed > 0) {
                String slot = contract.capture().slot();
                return new Plan(contractName, loaded.version().version(), run.sequence() + 1, null, run, sealed, slot,
                        notActive(slot, ContractSlot.state(ctx, contract.source(), contract.capture().slot())), null);
            }
            sequence = run.sequence();
        } else {
            sequence = ctx.store().inTransaction(c -> ctx.store().checkpoints().get(c, contractName)).lastSequence() + 1;
        }
        String slot = contract.capture().logical() ? contract.capture().slot() : null;
        String slotState = slot == null ? null : notActive(slot, ContractSlot.state(ctx, contract.source(), contract.capture().slot()));
        return new Plan(contractName, loaded.version().version(), sequence, unfinished.orElse(null), null, 0, slot,
                slotState, null);
    }

    private static String notActive(String slot, String slotState) {
        if ("active".equals(slotState)) {
            throw new EngineException("replication slot " + slot + " is being streamed by another connection at the "
                    + "source: end that first (pg_stat_replication shows it), then re-sync");
        }
        return slotState;
    }

    /** A stream run: its sealed chunks end on commits, so it can end after the last one. */
    private static boolean closable(Contract contract, RunRecord run) {
        return contract.capture().logical() && run.mode() == RunMode.INCREMENTAL && run.upperBound() != null;
    }

    /**
     * Ends {@code plan}'s closing run just after the last commit its sealed chunks hold, so that
     * completing it delivers those chunks and reads nothing more; the full export is planned once it
     * has completed ({@link #apply}). Audited as {@code run.resync-close}.
     */
    public RunRecord close(Plan plan) {
        RunRecord run = plan.closing();
        try (RunClaims.Claim claim = ctx.claims().claim(plan.contract(), ctx.actor())) {
            return ctx.store().inDurableTransaction(c -> {
                ctx.store().chunks().deleteAllUnsealed(c, run.id());
                List<ChunkRecord> sealed = ctx.store().chunks().forRun(c, run.id()).stream()
                        .filter(ch -> ch.state().sealed()).toList();
                LogSequenceNumber last = LogicalCapture.position(sealed.get(sealed.size() - 1).cursorTo());
                String end = LogSequenceNumber.valueOf(last.asLong() + 1).asString();
                ctx.store().runs().closeAt(c, run.id(), CursorCodec.encodeValue(end), ctx.now());
                ctx.store().audit().append(c, ctx.now(), ctx.actor(), "run.resync-close", plan.contract() + " run "
                        + run.sequence(), null, "{\"run_id\":\"" + run.id() + "\",\"sealed_chunks\":" + sealed.size()
                        + ",\"up_to\":\"" + end + "\"}");
                return ctx.store().runs().find(c, run.id()).orElseThrow();
            });
        }
    }

    /**
     * What a re-sync did: the plan it carried out, the run that is now the full export, and the
     * stopped run it completed with its sealed chunks first (null: none).
     */
    public record Done(Plan plan, RunRecord run, RunResult closed) {
    }

    /** Re-checks and carries out {@link #plan}: the full export is then the contract's next (or unfinished) run. */
    public Done apply(String contractName) {
        return apply(contractName, null);
    }

    /** As {@link #apply(String)}; {@code from}: as in {@link #plan(String, String)}. */
    public Done apply(String contractName, String from) {
        try (RunClaims.Claim claim = ctx.claims().claim(contractName, ctx.actor())) {
            Plan plan = plan(contractName, from);
            if (plan.from() != null) {
                ContractService.LoadedContract loaded = contracts.load(contractName);
                RunRecord planned = ctx.store().inTransaction(c -> {
                    lockInTeam(c, contractName);
                    if (ctx.store().runs().unfinished(c, contractName).isPresent()) {
                        throw new EngineException(contractName + " has an unfinished run now: resume it first");
                    }
                    RunRecord run = planner.planResend(c, loaded, plan.from().value());
                    ctx.store().audit().append(c, ctx.now(), ctx.actor(), "run.resync", contractName + " run "
                            + run.sequence(), null, com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                            .put("run_id", run.id()).put("from", plan.from().display())
                            .put("rows_again", plan.from().rows()).toString());
                    return run;
                });
                return new Done(plan, planned, null);
            }
            if (plan.closing() != null) {
                throw new EngineException("run #" + plan.closing().sequence() + " of " + contractName + " sealed "
                        + "chunks: it is closed and completed first (ExportEngine.resync)");
            }
            if (plan.slot() != null && !"missing".equals(plan.slotState())) {
                ContractSlot.drop(ctx, contracts.load(contractName).contract().source(), plan.slot());
            }
            ContractService.LoadedContract loaded = contracts.load(contractName);
            Instant now = ctx.now();
            RunRecord planned = ctx.store().inTransaction(c -> {
                lockInTeam(c, contractName);
                RunRecord run;
                if (plan.reused() != null) {
                    ctx.store().chunks().deleteAllUnsealed(c, plan.reused().id());
                    ctx.store().runs().restartAsCopy(c, plan.reused().id(), plan.contractVersion(), RunMode.FULL, now);
                    run = ctx.store().runs().find(c, plan.reused().id()).orElseThrow();
                } else {
                    run = planner.plan(c, loaded, true);
                }
                ctx.store().audit().append(c, now, ctx.actor(), "run.resync", contractName + " run " + run.sequence(),
                        null, "{\"run_id\":\"" + run.id() + "\",\"reused\":" + (plan.reused() != null)
                                + (plan.slot() == null ? "" : ",\"slot_was\":\"" + plan.slotState() + "\"") + "}");
                return run;
            });
            return new Done(plan, planned, null);
        }
    }

    /**
     * In a team store a worker may be planning this contract's scheduled or requested run right now
     * (under the contract's row lock): the re-sync waits for no one and says so instead.
     */
    private void lockInTeam(Connection c, String contractName) throws SQLException {
        if (ctx.store().mode() == StoreMode.TEAM && !ctx.store().leases().lockContract(c, contractName)) {
            throw new EngineException("a worker is planning a run of " + contractName + " right now: try again in "
                    + "a moment");
        }
    }
}
