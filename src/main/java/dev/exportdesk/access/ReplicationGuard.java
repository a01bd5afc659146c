package dev.exportdesk.access;

import dev.exportdesk.engine.ExportEngine;
import dev.exportdesk.engine.runs.RunResync;
import dev.exportdesk.engine.runs.SlotRetirement;

/**
 * Sending a table again (re-sync) and letting go of a replication slot, for one signed-in user:
 * operators' decisions that change what the partner receives or what the source keeps. Dropping a
 * slot is for solo workspaces only: in a team store the workers own the slots.
 */
public final class ReplicationGuard {
    private final Session checks;
    private final ExportEngine engine;
    private final TeamGuard team;

    ReplicationGuard(Session checks, ExportEngine engine, TeamGuard team) {
        this.checks = checks;
        this.engine = engine;
        this.team = team;
    }

    /** Refuses a user who may not re-sync, before the console asks them anything. */
    public void mayResync() {
        checks.require(Permission.OPERATE_RUNS, "re-sync contracts");
    }

    /** What re-syncing {@code contract} would do now; changes nothing (operators read it before they confirm). */
    public RunResync.Plan resyncPlan(String contract, String from) {
        checks.require(Permission.OPERATE_RUNS, "re-sync contracts");
        return engine.resyncPlan(contract, from);
    }

    /**
     * `resync CONTRACT [--from W]`: the contract's next (or stopped) run becomes a full export of its
     * table, or a re-send from W; the engine audits it as {@code run.resync} with this user. The run is
     * not started. Team stores too: the plan is written under the contract's row lock, and a worker runs it.
     */
    public RunResync.Done resync(String contract, String from) {
        checks.require(Permission.OPERATE_RUNS, "re-sync contracts");
        return engine.resync(contract, from);
    }

    /** What dropping {@code contract}'s replication slot would do now; changes nothing. */
    public SlotRetirement.Plan dropSlotPlan(String contract) {
        allowed("drop replication slots");
        return engine.dropSlotPlan(contract);
    }

    /** `contract drop-slot CONTRACT`, audited {@code contract.drop-slot} with this user. */
    public SlotRetirement.Plan dropSlot(String contract) {
        allowed("drop replication slots");
        return engine.dropSlot(contract);
    }

    private void allowed(String action) {
        checks.require(Permission.OPERATE_RUNS, action);
        if (team.active()) {
            throw new IllegalStateException("this workspace is attached to a team store: workers own runs and "
                    + "replication slots; use the CLI of a solo workspace, or ask an administrator");
        }
    }
}
