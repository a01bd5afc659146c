package dev.exportdesk.engine.runs;

import dev.exportdesk.contract.Contract;
import dev.exportdesk.contract.ContractCodec;
import dev.exportdesk.engine.ContractService;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.engine.EngineException;
import dev.exportdesk.store.ContractVersion;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.ScheduleControl;
import java.util.List;
import java.util.Optional;

/**
 * Drops the replication slot a contract no longer streams from. A slot nobody reads keeps every
 * byte of WAL written after it at the source, until the primary's disk is full: a contract switched
 * back to cursor capture, or paused for good, must be able to let go of it. A contract that still
 * streams is refused unless paused (its next run then needs a re-sync), and so is a slot another
 * connection is streaming, or a run still under way.
 */
public final class SlotRetirement {
    /**
     * @param version the newest contract version that captured from the log (whose slot and source these are)
     * @param slotState "missing", "lost", or the slot's wal_status in lower case
     * @param streams whether the contract's current version still streams from this slot (it is paused)
     */
    public record Plan(String contract, String slot, String slotState, int version, boolean streams) {
        public String describe() {
            if ("missing".equals(slotState)) {
                return "replication slot " + slot + " of " + contract + " (version " + version + ") does not exist at "
                        + "the source: nothing to drop";
            }
            return "replication slot " + slot + " of " + contract + " (version " + version + ", " + slotState + ") is "
                    + "dropped: the source stops keeping WAL for it" + (streams ? "; the contract still captures "
                    + "from the log, so its next run stops with \"re-sync required\" (exportdesk resync " + contract
                    + " sends the table again)" : "");
        }
    }

    private final EngineContext ctx;
    private final ContractService contracts;

    public SlotRetirement(EngineContext ctx, ContractService contracts) {
        this.ctx = ctx;
        this.contracts = contracts;
    }

    /** What {@link #apply} would do now; changes nothing. Refusals are {@link EngineException}s that say why. */
    public Plan plan(String contractName) {
        List<ContractVersion> history = contracts.history(contractName);
        Contract logical = null;
        int version = 0;
        for (int i = history.size() - 1; i >= 0 && logical == null; i--) {
            ContractVersion v = history.get(i);
            Contract c = ContractCodec.parse(v.body(), "contract " + contractName + " v" + v.version());
            if (c.capture().logical()) {
                logical = c;
                version = v.version();
            }
        }
        if (logical == null) {
            throw new EngineException("contract " + contractName + " never captured from the log: it has no "
                    + "replication slot");
        }
        String slot = logical.capture().slot();
        Contract current = contracts.load(contractName).contract();
        boolean streams = current.capture().logical() && slot.equals(current.capture().slot());
        if (streams && ctx.store().inTransaction(c -> ctx.store().scheduleStates().find(c, contractName))
                .filter(ScheduleControl::paused).isEmpty()) {
            throw new EngineException("contract " + contractName + " still streams from replication slot " + slot
                    + ": pause it first (exportdesk contract pause " + contractName + "), or import a version that "
                    + "does not capture from the log; without its slot, its next run needs a re-sync");
        }
        Optional<RunRecord> unfinished = ctx.store().inTransaction(c -> ctx.store().runs().unfinished(c, contractName));
        if (unfinished.isPresent() && !unfinished.get().state().awaitsResync()) {
            throw new EngineException("run #" + unfinished.get().sequence() + " of " + contractName + " is unfinished ("
                    + unfinished.get().state().name() + "): resume it to the end first, then drop the slot");
        }
        String state = ContractSlot.state(ctx, logical.source(), slot);
        if ("active".equals(state)) {
            throw new EngineException("replication slot " + slot + " is being streamed by another connection at the "
                    + "source: end that first (pg_stat_replication shows it)");
        }
        return new Plan(contractName, slot, state, version, streams);
    }

    /** Re-checks and carries out {@link #plan}, audited as {@code contract.drop-slot}. */
    public Plan apply(String contractName) {
        try (RunClaims.Claim claim = ctx.claims().claim(contractName, ctx.actor())) {
            Plan plan = plan(contractName);
            if (!"missing".equals(plan.slotState())) {
                Contract logical = ContractCodec.parse(contracts.export(contractName, Optional.of(plan.version()))
                        .body(), "contract " + contractName + " v" + plan.version());
                ContractSlot.drop(ctx, logical.source(), plan.slot());
            }
            ctx.store().update(c -> ctx.store().audit().append(c, ctx.now(), ctx.actor(), "contract.drop-slot",
                    contractName, null, "{\"slot\":\"" + plan.slot() + "\",\"slot_was\":\"" + plan.slotState()
                            + "\",\"version\":" + plan.version() + "}"));
            return plan;
        }
    }
}
