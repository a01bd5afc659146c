package dev.exportdesk.access;

import dev.exportdesk.engine.retention.PrunePlan;
import dev.exportdesk.engine.retention.PruneService;
import dev.exportdesk.engine.status.StatusService;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Retention for one signed-in user: pruning removes what partners were sent, so it is an operator's
 * action (OPERATE_RUNS), refused to stewards and auditors; anyone who reads runs sees which were pruned.
 */
public final class RetentionGuard {
    private final Session checks;
    private final PruneService retention;
    private final StatusService status;

    RetentionGuard(Session checks, PruneService retention, StatusService status) {
        this.checks = checks;
        this.retention = retention;
        this.status = status;
    }

    public PrunePlan plan(Optional<String> contract) {
        checks.require(Permission.OPERATE_RUNS, "prune deliveries");
        return retention.plan(contract);
    }

    public PruneService.Outcome prune(Optional<String> contract) {
        checks.require(Permission.OPERATE_RUNS, "prune deliveries");
        return retention.prune(contract);
    }

    /** Which of {@code runIds} retention pruned (the runs table tags them). */
    public Set<String> pruned(List<String> runIds) {
        checks.require(Permission.READ, "read runs");
        return status.pruned(runIds);
    }
}
