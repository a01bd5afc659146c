package dev.exportdesk.access;

import dev.exportdesk.engine.ContractService;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.engine.team.RunRequests;
import dev.exportdesk.store.LeaseRow;
import dev.exportdesk.store.LeaseTakeover;
import dev.exportdesk.store.RunRequest;
import dev.exportdesk.store.StoreMode;
import dev.exportdesk.store.WorkerRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Team mode for one signed-in user: Run now, Resume, Cancel and Correct become requests a worker executes
 * (with the same permission as running them here), and what the workers hold and took over.
 */
public final class TeamGuard {
    /** How many takeovers the Workers view lists. */
    private static final int TAKEOVERS = 50;
    private final Session checks;
    private final EngineContext ctx;
    private final RunRequests requests;

    /** What the store says about its workers, read in one transaction at the store's clock {@code at}. */
    public record Overview(Instant at, List<WorkerRecord> workers, List<LeaseRow> held, List<LeaseTakeover> takeovers,
                           List<RunRequest> requests) {
    }

    TeamGuard(Session checks, EngineContext ctx, ContractService contracts) {
        this.checks = checks;
        this.ctx = ctx;
        this.requests = new RunRequests(ctx, contracts);
    }

    /** True when the workspace's store is a team store: workers run the exports, not this process. */
    public boolean active() {
        return ctx.store().mode() == StoreMode.TEAM;
    }

    public RunRequest runNow(String contract) {
        checks.require(Permission.OPERATE_RUNS, "start runs");
        return requests.runNow(contract);
    }

    public RunRequest resume(String runRef) {
        checks.require(Permission.OPERATE_RUNS, "resume runs");
        return requests.resume(runRef);
    }

    public RunRequest cancel(String runRef) {
        checks.require(Permission.OPERATE_RUNS, "cancel runs");
        return requests.cancel(runRef);
    }

    public RunRequest correct(String ref) {
        checks.require(Permission.OPERATE_RUNS, "correct runs");
        return requests.correct(ref);
    }

    public Optional<RunRequest> request(String id) {
        checks.require(Permission.READ, "read run requests");
        return requests.find(id);
    }

    /** Workers, held leases (on runs and on key ranges), takeovers and recent requests; every role that may read runs may read them. */
    public Overview overview() {
        checks.require(Permission.READ, "read workers");
        return ctx.store().inTransaction(c -> new Overview(ctx.store().leases().storeNow(c),
                ctx.store().workers().all(c), java.util.stream.Stream.concat(ctx.store().leases().held(c).stream(),
                        ctx.store().segments().held(c).stream()).toList(),
                ctx.store().leases().takeovers(c, TAKEOVERS), ctx.store().requests().recent(c, TAKEOVERS)));
    }
}
