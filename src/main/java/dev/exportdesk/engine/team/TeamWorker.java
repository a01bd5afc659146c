package dev.exportdesk.engine.team;

import dev.exportdesk.engine.ContractService;
import dev.exportdesk.engine.DueWork;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.engine.EngineException;
import dev.exportdesk.engine.ExportEngine;
import dev.exportdesk.engine.receipts.AckService;
import dev.exportdesk.engine.retention.PruneService;
import dev.exportdesk.engine.runs.CaptureStopped;
import dev.exportdesk.engine.runs.SegmentWork;
import dev.exportdesk.engine.verification.VerifyService;
import dev.exportdesk.store.LeaseLostException;
import dev.exportdesk.store.LeaseRow;
import dev.exportdesk.store.LeaseState;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.RunRequest;
import dev.exportdesk.store.StateStore;
import dev.exportdesk.store.StoreException;
import dev.exportdesk.store.TaskClaim;
import dev.exportdesk.store.WorkerState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code exportdesk worker}: a headless process that registers in a shared store, heartbeats, and
 * claims work under leases (docs/team-mode.md, "Workers"): requests first, then runs whose worker
 * went silent or stopped, then contracts whose schedule is due, then due verifications and receipt
 * polls and retentions. Every run, key range and task it executes goes through a view of the store
 * fenced by its claim, so once another worker has claimed the same work, nothing more this worker
 * does for it is committed. {@link #stop()} (SIGTERM) parks the runs at their next progress
 * report, releases their leases and ends {@link #run()}; no thread is ever interrupted.
 */
public final class TeamWorker {
    private static final Logger LOG = LoggerFactory.getLogger(TeamWorker.class);
    /** How long {@link #run()} waits for its runs to park after a stop. */
    private static final Duration PARK_WAIT = Duration.ofMinutes(5);
    private static final long MAX_BEAT_MILLIS = 2000;
    /** How long a receipt poll rests before the next one (an awaited receipt is asked for once a minute). */
    private static final Duration RECEIPT_POLL = Duration.ofMinutes(1);
    /** How long a contract's retention rests after it was applied: ages are counted in days. */
    private static final Duration PRUNE_REST = Duration.ofHours(1);

    /** {@code poll}: how often the store is asked for work while there is none. */
    public record Settings(String name, String host, int slots, Duration leaseTimeout, Duration poll) {
        public Settings {
            if (slots < 1 || slots > 64) {
                throw new EngineException("--slots must be between 1 and 64 (got " + slots + ")");
            }
            if (leaseTimeout.compareTo(Duration.ofSeconds(1)) < 0 || leaseTimeout.compareTo(Duration.ofHours(1)) > 0) {
                throw new EngineException("--lease-timeout must be between 1s and 1h (got "
                        + leaseTimeout.toMillis() + " ms)");
            }
        }
    }

    private final EngineContext ctx;
    private final ContractService contracts;
    private final DueWork due;
    private final Settings settings;
    private final WorkClaims claims;
    private final Consumer<String> events;
    private final Map<String, LeasedRun> held = new ConcurrentHashMap<>();
    private final Map<String, TaskClaim> heldTasks = new ConcurrentHashMap<>();
    private final SegmentWork segments;
    private final Object wake = new Object();
    private volatile boolean stopping;

    /** {@code events}: one line per claim, release, loss and stop, for the worker's log and terminal. */
    public TeamWorker(EngineContext ctx, Settings settings, Consumer<String> events) {
        this.ctx = ctx.withActor("worker " + settings.name());
        this.contracts = new ContractService(this.ctx, () -> false);
        this.due = new DueWork(this.ctx, contracts);
        this.settings = settings;
        this.claims = new WorkClaims(this.ctx, contracts, settings.name(), settings.leaseTimeout());
        this.segments = new SegmentWork(this.ctx.store(), settings.name(), settings.leaseTimeout());
        this.events = line -> {
            LOG.info("{}", line);
            events.accept(line);
        };
    }

    private StateStore store() {
        return ctx.store();
    }

    /** Asks the worker to stop: from a signal handler; returns at once. */
    public void stop() {
        stopping = true;
        wakeLoop();
    }

    /** Registers, then works until {@link #stop()}; returns once every lease is released. */
    public void run() throws InterruptedException {
        register();
        events.accept("worker " + settings.name() + " on " + settings.host() + " started: " + settings.slots()
                + " slot(s), lease timeout " + settings.leaseTimeout().toMillis() + " ms");
        ScheduledExecutorService heart = Executors.newSingleThreadScheduledExecutor(daemon("heartbeat"));
        // a third of the lease timeout keeps leases alive through two lost beats; at least every 2 s so
        // that a Cancel is noticed soon whatever the timeout
        long beat = Math.max(200, Math.min(MAX_BEAT_MILLIS, settings.leaseTimeout().toMillis() / 3));
        heart.scheduleWithFixedDelay(this::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
        ExecutorService slots = Executors.newFixedThreadPool(settings.slots(), daemon("slot"));
        Semaphore free = new Semaphore(settings.slots());
        try {
            while (!stopping) {
                Optional<Runnable> job = free.tryAcquire() ? next(free) : Optional.empty();
                if (job.isPresent()) {
                    slots.execute(() -> {
                        try {
                            job.get().run();
                        } finally {
                            free.release();
                            wakeLoop();
                        }
                    });
                    continue;
                }
                synchronized (wake) {
                    if (!stopping) {
                        wake.wait(settings.poll().toMillis());
                    }
                }
            }
            events.accept("worker " + settings.name() + " stopping: parking " + held.size() + " run(s)");
            mark(WorkerState.STOPPING);
            slots.shutdown();
            if (!slots.awaitTermination(PARK_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                events.accept("runs still executing " + PARK_WAIT.toSeconds() + " s after the stop; their leases "
                        + "expire and other workers take them over");
            }
        } finally {
            heart.shutdown();
            heart.awaitTermination(30, TimeUnit.SECONDS);
            mark(WorkerState.STOPPED);
            events.accept("worker " + settings.name() + " stopped");
        }
    }

    /** Wakes the claim loop: a slot freed up, or the worker is stopping. */
    private void wakeLoop() {
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    /** The next piece of work claimed, as the job a slot executes; the slot back when there is none. */
    private Optional<Runnable> next(Semaphore free) {
        Optional<Runnable> job = Optional.empty();
        try {
            job = find();
        } catch (StoreException | EngineException e) {
            LOG.warn("looking for work failed: {}", e.getMessage());
        }
        if (job.isEmpty()) {
            free.release();
        }
        return job;
    }

    private Optional<Runnable> find() {
        Optional<WorkClaims.Claim> run = findRun();
        if (run.isPresent()) {
            WorkClaims.Claim c = run.get();
            events.accept("claimed run " + c.run().id() + " (" + c.run().contractName() + " #" + c.run().sequence()
                    + ") epoch " + c.lease().epoch() + " by " + describe(c));
            LeasedRun leased = new LeasedRun(c, settings.name());
            held.put(c.lease().runId(), leased);
            return Optional.of(() -> {
                try {
                    execute(leased);
                } finally {
                    held.remove(c.lease().runId());
                }
            });
        }
        Optional<dev.exportdesk.store.Lease> range = stopping ? Optional.empty() : segments.claimAny();
        if (range.isPresent()) {
            dev.exportdesk.store.Lease lease = range.get();
            events.accept("claimed key range " + lease.segment() + " of run " + lease.runId() + " epoch "
                    + lease.epoch());
            return Optional.of(() -> captureRange(lease));
        }
        for (DueWork.DueVerification v : due.verifications()) {
            Optional<TaskClaim> claim = stopping ? Optional.empty() : claims.task(v.contract(), "verify:" + v.contract());
            if (claim.isPresent()) {
                return Optional.of(task(claim.get(), "verification of " + v.contract(), fenced -> {
                    List<VerifyService.DeepOutcome> outcomes = new VerifyService(fenced.ctx(), fenced.contracts())
                            .verify(v.contract(), v.deep());
                    long failed = outcomes.stream().filter(o -> !o.ok()).count();
                    return outcomes.size() + " run(s) verified" + (v.deep() ? " deep" : "") + ", " + failed
                            + " with problems";
                }, settings.leaseTimeout()));
            }
        }
        for (RunRecord r : due.receipts()) {
            if (stopping || claims.receiptKeptElsewhere(r.id())) {
                continue;
            }
            Optional<TaskClaim> claim = claims.task(r.contractName(), "receipt:" + r.id());
            if (claim.isPresent()) {
                return Optional.of(task(claim.get(), "receipt poll of run " + r.id(), fenced ->
                        new AckService(fenced.ctx(), fenced.contracts()).poll(r.id()).state().name(), RECEIPT_POLL));
            }
        }
        for (String contract : due.prunes()) {
            Optional<TaskClaim> claim = stopping ? Optional.empty() : claims.task(contract, "prune:" + contract);
            if (claim.isPresent()) {
                return Optional.of(task(claim.get(), "retention of " + contract, fenced -> {
                    PruneService.Outcome done = new PruneService(fenced.ctx(), fenced.contracts())
                            .prune(Optional.of(contract));
                    return done.runs().size() + " run(s) pruned, " + done.local().size() + " workspace folder(s) removed";
                }, PRUNE_REST));
            }
        }
        return Optional.empty();
    }

    /** The engine as a claimed task sees it: every store write checks the task's claim first. */
    private record FencedTask(EngineContext ctx, ContractService contracts) {
    }

    /**
     * A claimed verification, receipt poll or retention: done through a store fenced by its claim,
     * reported, then left to rest for {@code rest}. A claim lost meanwhile (this worker was frozen past
     * it and another took the work) stops the work at its next write, with nothing of it committed.
     */
    private Runnable task(TaskClaim claim, String what, java.util.function.Function<FencedTask, String> work,
                          Duration rest) {
        events.accept("claimed " + what + " epoch " + claim.epoch());
        heldTasks.put(claim.key(), claim);
        return () -> {
            EngineContext fenced = ctx.withStore(store().fenced(claim));
            boolean lost = false;
            try {
                events.accept(what + ": " + work.apply(new FencedTask(fenced, new ContractService(fenced, () -> false))));
            } catch (LeaseLostException e) {
                lost = true;
                events.accept("lost " + what + ": " + e.getMessage());
            } catch (RuntimeException e) {
                events.accept(what + " failed: " + e.getMessage());
            } finally {
                heldTasks.remove(claim.key(), claim);
            }
            if (!lost) {
                try {
                    if (!claims.extendTask(claim, rest)) {
                        events.accept("lost " + what + " epoch " + claim.epoch() + ": another worker claimed it since");
                    }
                } catch (StoreException e) {
                    LOG.warn("could not let {} rest: {}", claim.key(), e.getMessage());
                }
            }
        };
    }

    private Optional<WorkClaims.Claim> findRun() {
        Optional<Optional<WorkClaims.Claim>> request = claims.request();
        if (request.isPresent() && request.get().isPresent()) {
            return request.get();
        }
        Optional<WorkClaims.Claim> takeover = claims.takeover();
        if (takeover.isPresent()) {
            return takeover;
        }
        for (String contract : due.runs()) {
            if (stopping) {
                break;
            }
            Optional<WorkClaims.Claim> start = claims.due(contract);
            if (start.isPresent()) {
                return start;
            }
        }
        return Optional.empty();
    }

    private static String describe(WorkClaims.Claim c) {
        return switch (c.how()) {
            case TAKEOVER -> "takeover (its worker went silent or stopped)";
            case REQUEST -> c.request().kind().name().toLowerCase().replace('_', ' ') + " request of "
                    + c.request().requestedBy();
            case SCHEDULE -> "schedule";
        };
    }

    /** Executes one claimed run through a store fenced by its lease, then releases or parks the lease. */
    private void execute(LeasedRun leased) {
        WorkClaims.Claim claim = leased.claim();
        String runId = claim.lease().runId();
        EngineContext fenced = ctx.withStore(store().fenced(claim.lease()));
        ExportEngine engine = new ExportEngine(fenced, new ContractService(fenced, () -> false), segments);
        String outcome;
        LeaseState release;
        try {
            RunRecord r = engine.resume(runId, leased.listener(() -> stopping)).run();
            outcome = r.state().name() + (r.error() == null ? "" : ": " + r.error());
            release = r.state().finished() || !stopping ? LeaseState.RELEASED : LeaseState.PARKED;
        } catch (LeaseLostException e) {
            events.accept("lost run " + runId + ": " + e.getMessage());
            return;
        } catch (RuntimeException e) {
            outcome = "FAILED: " + e.getMessage();
            release = stopping ? LeaseState.PARKED : LeaseState.RELEASED;
            LOG.warn("run {} ended with an error", runId, e);
        }
        if (leased.isLost()) {
            events.accept("lost run " + runId + ": its lease could not be renewed; writing nothing more");
            return;
        }
        LeaseState how = release;
        // a failed run waits one lease timeout before the schedule retries it
        Duration pause = how == LeaseState.RELEASED && !outcome.startsWith("COMPLETED") ? settings.leaseTimeout()
                : Duration.ZERO;
        boolean released;
        try {
            released = store().inTransaction(c -> store().leases().release(c, claim.lease(), how, pause));
        } catch (StoreException e) {
            events.accept("could not release run " + runId + " (" + e.getMessage() + "); its lease expires");
            return;
        }
        if (!released) {
            events.accept("lost run " + runId + ": another worker claimed it before the release");
            return;
        }
        events.accept((how == LeaseState.PARKED ? "parked" : "released") + " run " + runId + " epoch "
                + claim.lease().epoch() + ": " + outcome);
        if (how == LeaseState.RELEASED) {
            String text = outcome;
            store().update(c -> store().requests().finishTaken(c, runId, text.startsWith("COMPLETED")
                    ? RunRequest.State.DONE : RunRequest.State.FAILED, text, ctx.now()));
        }
    }

    /** Captures a key range of another worker's split run, until done or stopped. */
    private void captureRange(dev.exportdesk.store.Lease lease) {
        ExportEngine engine = new ExportEngine(ctx, contracts, segments);
        String outcome;
        try {
            dev.exportdesk.store.SegmentState end = engine.captureRange(lease, progress -> {
                if (stopping) {
                    throw new CaptureStopped(LeasedRun.PARKED + settings.name() + " stopped; another worker "
                            + "captures the range");
                }
            });
            outcome = end == dev.exportdesk.store.SegmentState.HELD ? "lost: another worker claimed it since; writing "
                    + "nothing more" : end.name().toLowerCase();
        } catch (CaptureStopped e) {
            outcome = "given back: " + e.getMessage();
        } catch (RuntimeException e) {
            outcome = "failed: " + e.getMessage();
            LOG.warn("key range {} of run {} ended with an error", lease.segment(), lease.runId(), e);
        }
        events.accept("key range " + lease.segment() + " of run " + lease.runId() + " epoch " + lease.epoch() + ": "
                + outcome);
    }

    private void register() {
        boolean ok = store().inTransaction(c -> {
            Instant now = store().leases().storeNow(c);
            return store().workers().register(c, settings.name(), settings.host(), ProcessHandle.current().pid(),
                    now, now.minus(settings.leaseTimeout()));
        });
        if (!ok) {
            throw new EngineException("a worker named \"" + settings.name() + "\" is running and heartbeating; "
                    + "give this one another --name");
        }
    }

    private void mark(WorkerState state) {
        try {
            store().update(c -> store().workers().heartbeat(c, settings.name(), state, store().leases().storeNow(c)));
        } catch (StoreException e) {
            LOG.warn("could not record worker state {}: {}", state, e.getMessage());
        }
    }

    /** The worker's heartbeat, the renewal of every lease it holds, and the cancels asked for its runs. */
    private void heartbeat() {
        try {
            mark(stopping ? WorkerState.STOPPING : WorkerState.RUNNING);
            for (LeasedRun run : held.values()) {
                if (run.isLost()) {
                    continue;
                }
                boolean renewed = store().inTransaction(c -> {
                    store().leases().boundWaits(c, settings.leaseTimeout());
                    return store().leases().renew(c, run.lease());
                });
                if (!renewed) {
                    run.lost();
                    events.accept("lost run " + run.lease().runId() + " epoch " + run.lease().epoch()
                            + ": the lease could not be renewed (another worker claimed it after it expired); "
                            + "stopping it at its next step, writing nothing more");
                }
            }
            segments.renew(events);
            for (TaskClaim task : heldTasks.values()) {
                if (!claims.extendTask(task, settings.leaseTimeout()) && heldTasks.remove(task.key(), task)) {
                    events.accept("lost " + task.key() + " epoch " + task.epoch() + ": the claim could not be renewed "
                            + "(another worker claimed it after it expired); its next write fails, writing nothing more");
                }
            }
            cancels();
        } catch (RuntimeException e) {
            LOG.warn("heartbeat failed: {}", e.getMessage());
        }
    }

    private void cancels() {
        store().update(c -> {
            Instant now = store().leases().storeNow(c);
            for (RunRequest r : store().requests().pendingCancels(c)) {
                LeasedRun mine = held.get(r.runId() == null ? "" : r.runId());
                if (mine != null) {
                    mine.cancel(r.requestedBy());
                    store().requests().take(c, r.id(), settings.name(), r.runId());
                    store().requests().finish(c, r.id(), RunRequest.State.DONE, "worker " + settings.name()
                            + " stops run " + r.runId() + " at its next progress report", ctx.now());
                    events.accept("cancel of run " + r.runId() + " requested by " + r.requestedBy());
                    continue;
                }
                Optional<LeaseRow> lease = r.runId() == null ? Optional.empty()
                        : store().leases().find(c, r.runId());
                boolean live = lease.isPresent() && lease.get().state() == LeaseState.HELD
                        && lease.get().expiresAt().isAfter(now);
                if (!live) {
                    store().requests().take(c, r.id(), settings.name(), r.runId());
                    store().requests().finish(c, r.id(), RunRequest.State.DONE, "run " + r.runId()
                            + " is not running; nothing to cancel", ctx.now());
                }
            }
        });
    }

    private static java.util.concurrent.ThreadFactory daemon(String role) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "exportdesk-worker-" + role + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
