package dev.exportdesk.engine.team;

import dev.exportdesk.contract.Schedule;
import dev.exportdesk.engine.ContractService;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.engine.EngineException;
import dev.exportdesk.engine.ExportEngine;
import dev.exportdesk.engine.runs.CorrectionPlanner;
import dev.exportdesk.engine.runs.RunPlanner;
import dev.exportdesk.store.ContractRecord;
import dev.exportdesk.store.Lease;
import dev.exportdesk.store.LeaseHow;
import dev.exportdesk.store.LeaseRepository;
import dev.exportdesk.store.LeaseRow;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.RunRequest;
import dev.exportdesk.store.ScheduleState;
import dev.exportdesk.store.StateStore;
import dev.exportdesk.store.TaskClaim;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * How a worker finds work in the store, each in one transaction that either claims it (a lease with a
 * new epoch) or leaves it: a pending request, a run whose worker went silent or stopped, a contract
 * whose schedule is due. What is due is decided from the store under the contract's row lock, so
 * whichever worker looks, exactly one starts each due run.
 */
final class WorkClaims {
    /**
     * A claimed run, how the claim is recorded, and the request it executes (null when the schedule
     * or a worker's look for takeovers found the run).
     */
    record Claim(Lease lease, RunRecord run, LeaseHow how, RunRequest request) {
    }

    private final EngineContext ctx;
    private final ContractService contracts;
    private final RunPlanner planner;
    private final CorrectionPlanner corrections;
    private final String worker;
    private final Duration timeout;

    WorkClaims(EngineContext ctx, ContractService contracts, String worker, Duration timeout) {
        this.ctx = ctx;
        this.contracts = contracts;
        this.planner = new RunPlanner(ctx, contracts);
        this.corrections = new CorrectionPlanner(ctx, contracts);
        this.worker = worker;
        this.timeout = timeout;
    }

    private StateStore store() {
        return ctx.store();
    }

    /** A run whose lease expired (its worker went silent) or was parked (its worker stopped). */
    Optional<Claim> takeover() {
        return store().inTransaction(c -> {
            store().leases().boundWaits(c, timeout);
            Instant now = store().leases().storeNow(c);
            store().leases().closeExpiredOfCompleted(c, now);
            for (String runId : store().leases().takeable(c, now, 1)) {
                Optional<LeaseRepository.Claimed> claimed = store().leases().claim(c, runId, worker, timeout,
                        LeaseHow.TAKEOVER, false);
                if (claimed.isPresent()) {
                    return Optional.of(new Claim(claimed.get().lease(), store().runs().find(c, runId).orElseThrow(),
                            claimed.get().how(), null));
                }
            }
            return Optional.empty();
        });
    }

    /**
     * Starts {@code contract} if its schedule is due now and it is not paused: resumes its unfinished
     * run when nobody holds it (a failed one only after the retry pause), else plans the next run
     * once its next start has come. Empty when not due, or when another worker is deciding now.
     */
    Optional<Claim> due(String contract) {
        ContractService.LoadedContract loaded = contracts.load(contract);
        Optional<Schedule> schedule = loaded.contract().schedule();
        if (schedule.isEmpty()) {
            return Optional.empty();
        }
        return store().inTransaction(c -> {
            store().leases().boundWaits(c, timeout);
            if (!store().leases().lockContract(c, contract) || paused(c, contract)) {
                return Optional.empty();
            }
            Optional<RunRecord> unfinished = store().runs().unfinished(c, contract);
            if (unfinished.isPresent()) {
                return claimExisting(c, unfinished.get(), LeaseHow.SCHEDULE, false, null);
            }
            ContractRecord record = store().contracts().find(c, contract).orElseThrow();
            List<RunRecord> completed = store().runs().completedInOrder(c, contract);
            Instant next = completed.isEmpty() ? schedule.get().firstStart(record.createdAt())
                    : schedule.get().nextAfter(completed.get(completed.size() - 1).plannedAt());
            if (next.isAfter(ctx.now())) {
                return Optional.empty();
            }
            return Optional.of(plan(c, loaded, LeaseHow.SCHEDULE, null));
        });
    }

    /**
     * The oldest pending Run now or Resume: claims its run, or finishes the request saying why there
     * is nothing to do (already completed, or held by a live worker). Empty when none is pending.
     */
    Optional<Optional<Claim>> request() {
        return store().inTransaction(c -> {
            store().leases().boundWaits(c, timeout);
            Optional<RunRequest> pending = store().requests().nextPending(c);
            if (pending.isEmpty()) {
                return Optional.empty();
            }
            RunRequest r = pending.get();
            Optional<Claim> claim = switch (r.kind()) {
                case RUN -> runNow(c, r);
                case CORRECT -> correct(c, r);
                default -> resume(c, r);
            };
            if (claim.isPresent()) {
                store().requests().take(c, r.id(), worker, claim.get().run().id());
            }
            return Optional.of(claim);
        });
    }

    private Optional<Claim> runNow(Connection c, RunRequest r) throws SQLException {
        if (!store().leases().lockContract(c, r.contract())) {
            return Optional.empty(); // another worker is starting it this moment: the request waits a round
        }
        Optional<RunRecord> unfinished = store().runs().unfinished(c, r.contract());
        if (unfinished.isPresent()) {
            return claimExisting(c, unfinished.get(), LeaseHow.REQUEST, true, r);
        }
        return Optional.of(plan(c, contracts.load(r.contract()), LeaseHow.REQUEST, r));
    }

    /**
     * Plans the correction the request asks for and claims it, in this transaction; a correction that
     * cannot be planned (an unfinished run, no deep verification) or has nothing left to ship
     * finishes the request saying so.
     */
    private Optional<Claim> correct(Connection c, RunRequest r) throws SQLException {
        if (!store().leases().lockContract(c, r.contract())) {
            return Optional.empty();
        }
        String ref = r.runId() != null ? r.runId() : r.contract();
        Optional<RunRecord> run;
        try {
            run = corrections.planIn(c, ref, corrections.target(ref));
        } catch (EngineException e) {
            finish(c, r, RunRequest.State.FAILED, e.getMessage());
            return Optional.empty();
        }
        if (run.isEmpty()) {
            finish(c, r, RunRequest.State.DONE, ExportEngine.NOTHING_TO_CORRECT);
            return Optional.empty();
        }
        Lease lease = store().leases().insert(c, run.get().id(), worker, timeout, LeaseHow.REQUEST,
                store().leases().storeNow(c));
        return Optional.of(new Claim(lease, run.get(), LeaseHow.REQUEST, r));
    }

    private Optional<Claim> resume(Connection c, RunRequest r) throws SQLException {
        Optional<RunRecord> run = store().runs().find(c, r.runId());
        if (run.isEmpty() || run.get().state().finished()) {
            finish(c, r, RunRequest.State.DONE, "run " + r.runId() + " is " + (run.isEmpty() ? "unknown"
                    : "already completed") + "; nothing to resume");
            return Optional.empty();
        }
        return claimExisting(c, run.get(), LeaseHow.REQUEST, true, r);
    }

    private Optional<Claim> claimExisting(Connection c, RunRecord run, LeaseHow how, boolean evenReleased,
                                          RunRequest r) throws SQLException {
        if (run.state().awaitsResync()) {
            if (r != null) {
                finish(c, r, RunRequest.State.FAILED, "run " + run.id() + " waits for a re-sync: " + run.error());
            }
            return Optional.empty();
        }
        if (!store().leases().lockRun(c, run.id())) {
            return Optional.empty();
        }
        Optional<LeaseRepository.Claimed> claimed = store().leases().claim(c, run.id(), worker, timeout, how,
                evenReleased);
        if (claimed.isEmpty() && r != null) {
            String holder = store().leases().find(c, run.id()).map(LeaseRow::holder).orElse("another worker");
            finish(c, r, RunRequest.State.DONE, "run " + run.id() + " is already being executed by worker " + holder);
        }
        return claimed.map(l -> new Claim(l.lease(), run, l.how(), r));
    }

    private Claim plan(Connection c, ContractService.LoadedContract loaded, LeaseHow how, RunRequest r)
            throws SQLException {
        RunRecord run = planner.plan(c, loaded);
        Lease lease = store().leases().insert(c, run.id(), worker, timeout, how, store().leases().storeNow(c));
        return new Claim(lease, run, how, r);
    }

    /**
     * A due verification, receipt poll or retention of {@code contract}, one worker at a time per {@code key}:
     * claimed for one lease timeout (renewed by the heartbeat) unless another worker holds it or it
     * rests after it was last done. The claim fences every write of the work ({@code StateStore.fenced}).
     */
    Optional<TaskClaim> task(String contract, String key) {
        return store().inTransaction(c -> {
            store().leases().boundWaits(c, timeout);
            if (!store().leases().lockContract(c, contract)) {
                return Optional.empty();
            }
            return store().workClaims().claim(c, key, worker, store().leases().storeNow(c), timeout);
        });
    }

    /**
     * Keeps a task claimed for another lease timeout, or lets it rest for {@code rest} once done; false
     * when another worker claimed it since.
     */
    boolean extendTask(TaskClaim claim, Duration rest) {
        return store().inTransaction(c -> {
            store().leases().boundWaits(c, timeout);
            return store().workClaims().extend(c, claim, store().leases().storeNow(c).plus(rest));
        });
    }

    /**
     * True when the retained copies of the run's chunks (for a redelivery its receipt may ask for)
     * are kept by other workers, in their own workspaces, none by this one, and one of them is
     * alive: its receipt poll is left to them. A run whose keepers are all gone is polled by anyone.
     */
    boolean receiptKeptElsewhere(String runId) {
        return store().inTransaction(c -> {
            java.util.Set<String> keepers = new java.util.HashSet<>(store().chunks().retainers(c, runId).values());
            if (keepers.isEmpty() || keepers.contains(worker)) {
                return false;
            }
            Instant alive = store().leases().storeNow(c).minus(timeout);
            return store().workers().all(c).stream().anyMatch(w -> keepers.contains(w.name())
                    && w.state() == dev.exportdesk.store.WorkerState.RUNNING && w.heartbeatAt().isAfter(alive));
        });
    }

    private boolean paused(Connection c, String contract) throws SQLException {
        return store().scheduleStates().find(c, contract).map(s -> s.state() == ScheduleState.PAUSED).orElse(false);
    }

    private void finish(Connection c, RunRequest r, RunRequest.State state, String outcome) throws SQLException {
        store().requests().take(c, r.id(), worker, r.runId());
        store().requests().finish(c, r.id(), state, outcome, ctx.now());
    }
}
