package dev.exportdesk.access;

import dev.exportdesk.contract.Contract;
import dev.exportdesk.engine.ContractService;
import dev.exportdesk.engine.DueWork;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.engine.EngineServices;
import dev.exportdesk.engine.ExportEngine;
import dev.exportdesk.engine.ProgressListener;
import dev.exportdesk.engine.delivery.EngineDestinations;
import dev.exportdesk.engine.receipts.AckService;
import dev.exportdesk.engine.receipts.Acknowledgement;
import dev.exportdesk.engine.runs.RunLogs;
import dev.exportdesk.engine.runs.RunProgress;
import dev.exportdesk.engine.runs.RunResult;
import dev.exportdesk.engine.status.ContractStatus;
import dev.exportdesk.engine.status.SlotReport;
import dev.exportdesk.engine.status.StatusService;
import dev.exportdesk.engine.status.StoreHealth;
import dev.exportdesk.engine.status.StoreHealthReport;
import dev.exportdesk.engine.verification.VerifyService;
import dev.exportdesk.source.SourceSchema;
import dev.exportdesk.store.AckState;
import dev.exportdesk.store.AuditEntry;
import dev.exportdesk.store.AuditFilter;
import dev.exportdesk.store.ChunkPageQuery;
import dev.exportdesk.store.ContractRecord;
import dev.exportdesk.store.ContractVersion;
import dev.exportdesk.store.Notification;
import dev.exportdesk.store.NotificationSeverity;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.ScheduleControl;
import dev.exportdesk.transfer.Destination;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The engine as one signed-in user may use it. Every call checks the user's role first, as the
 * state store holds it at that moment (one primary-key read), so an admin's role change applies
 * from the session's next call and disabling, removing or resetting the user ends the session
 * ({@link SessionEndedException}). A refusal is written to the audit log and thrown, and nothing
 * runs. The engine's own audit entries carry the user too, because its {@link EngineContext} actor
 * is this user. The console talks to the engine only through this class.
 */
public final class GuardedEngine {
    /** The audit detail of work the console's scheduler started rather than a person. */
    public static final String SCHEDULED = "scheduled";
    /** How long a running run goes at most without re-reading its session, between chunks. */
    private static final long SESSION_CHECK_NANOS = 1_000_000_000L;
    private final Session checks;
    private final UsersGuard users;
    private final SourcesGuard sourceConnections;
    private final DestinationsGuard destinations;
    private final VerificationGuard verification;
    private final LedgerGuard ledger;
    private final ReplicationGuard replication;
    private final TeamGuard team;
    private final RetentionGuard retention;
    private final EngineContext ctx;
    private final ContractService contracts;
    private final ExportEngine engine;
    private final StatusService status;
    private final VerifyService verify;
    private final AckService acks;
    private final dev.exportdesk.engine.runs.RunEstimate estimates;
    private final DueWork due;
    private final StoreHealth storeHealth;
    private final dev.exportdesk.engine.ScheduleService schedules;
    private final dev.exportdesk.engine.NotificationService notifications;
    private final RunLogs runLogs;
    private final dev.exportdesk.alert.AlertService alerts;
    private final ChunkPageQuery chunkPages = new ChunkPageQuery();

    /** Builds the engine services for {@code user} on {@code base} (its actor is replaced by the user). */
    public GuardedEngine(User user, EngineContext base) {
        this(user, base, StoreHealth.Thresholds.DEFAULT);
    }

    /** {@code storeThresholds}: when the status bar's store health warns (tests inject their own). */
    public GuardedEngine(User user, EngineContext base, StoreHealth.Thresholds storeThresholds) {
        this.ctx = base.withActor(user.actor());
        UserService accounts = new UserService(ctx.store(), ctx.clock());
        this.checks = new Session(user, ctx, accounts);
        Session session = checks;
        EngineServices services = EngineServices.of(ctx, () -> session.latest().can(Permission.MANAGE_SOURCES),
                storeThresholds);
        this.contracts = services.contracts();
        this.engine = services.engine();
        this.status = services.status();
        this.verify = services.verify();
        this.acks = services.acks();
        this.estimates = services.estimates();
        this.due = services.due();
        this.storeHealth = services.storeHealth();
        this.schedules = services.schedules();
        this.notifications = new dev.exportdesk.engine.NotificationService(ctx);
        this.runLogs = services.runLogs();
        this.alerts = new dev.exportdesk.alert.AlertService(services);
        this.users = new UsersGuard(checks, accounts);
        this.sourceConnections = new SourcesGuard(checks, services.sources());
        this.destinations = new DestinationsGuard(checks, services.destinations());
        this.verification = new VerificationGuard(checks, ctx, verify, acks);
        this.ledger = new LedgerGuard(checks, ctx, services.reports());
        this.team = new TeamGuard(checks, ctx, contracts);
        this.replication = new ReplicationGuard(checks, engine, team);
        this.retention = new RetentionGuard(checks, services.retention(), status);
    }

    /** Retention: pruning delivered runs (operators), and which runs were pruned. */
    public RetentionGuard retention() {
        return retention;
    }

    /** User accounts (administrators manage them; everyone changes their own password). */
    public UsersGuard users() {
        return users;
    }

    /** Source connections (administrators manage them). */
    public SourcesGuard sourceConnections() {
        return sourceConnections;
    }

    /** Named destinations (administrators manage them). */
    public DestinationsGuard destinations() {
        return destinations;
    }

    /** Verification of runs and what it found per chunk. */
    public VerificationGuard verification() {
        return verification;
    }

    /** Re-sync and replication slots of log-based contracts. */
    public ReplicationGuard replication() {
        return replication;
    }

    /** The workspace ledger and auditor reports. */
    public LedgerGuard ledger() {
        return ledger;
    }

    /** Team mode: runs as requests to the workers, and what the workers hold. */
    public TeamGuard team() {
        return team;
    }

    /** The signed-in user with the role found at the last check (no store access: safe on the UI thread). */
    public User user() {
        return checks.latest();
    }

    /** Whether the role found at the last check allows {@code permission}; the next call checks again. */
    public boolean can(Permission permission) {
        return checks.latest().can(permission);
    }

    /** Re-reads the user's role from the store (off the UI thread); throws when the session has ended. */
    public User refreshUser() {
        return checks.refresh();
    }

    // ---- contracts -------------------------------------------------------------------------

    public List<ContractRecord> contracts() {
        require(Permission.READ, "list contracts");
        return contracts.list();
    }

    public ContractService.LoadedContract load(String name) {
        require(Permission.READ, "read contract " + name);
        return contracts.load(name);
    }

    /** Version {@code version} of a contract, as a run that used it sees it (where its files went). */
    public ContractService.LoadedContract load(String name, int version) {
        require(Permission.READ, "read contract " + name);
        return contracts.load(name, version);
    }

    public List<ContractVersion> history(String name) {
        require(Permission.READ, "read the history of " + name);
        return contracts.history(name);
    }

    /** The current version, to show in the editor: reading is not an export, so it is not audited as one. */
    public ContractVersion openContract(String name) {
        require(Permission.READ, "read contract " + name);
        return contracts.export(name, Optional.empty());
    }

    /** The stored JSON of a version (current when empty), to write to a file; audited as an export. */
    public ContractVersion exportContract(String name, Optional<Integer> version) {
        require(Permission.READ, "export contract " + name);
        ContractVersion v = contracts.export(name, version);
        audit("contract.export", name + " v" + v.version(), null, null);
        return v;
    }

    /** Structural validation only (no source access): every error with its JSON path. */
    public Contract validateOffline(String json, String origin) {
        require(Permission.READ, "validate contracts");
        return contracts.validate(json, origin, true).contract();
    }

    /** Validates against the live source and stores a new version when anything changed. */
    public ContractService.ImportResult importContract(String json, String origin) {
        require(Permission.EDIT_CONTRACTS, "edit contracts");
        return contracts.importContract(json, origin, false);
    }

    /** Resolves the contract's columns against the source (opens a connection: call off the UI thread). */
    public SourceSchema previewSchema(String json, String origin) {
        require(Permission.EDIT_CONTRACTS, "preview source schemas");
        // audited before the source is reached, so a failing or slow attempt is on record too
        audit("source.preview", contracts.validate(json, origin, true).contract().name(), null, null);
        return contracts.validate(json, origin, false).schema().orElseThrow();
    }

    /** Opens and checks a connection to the contract's source; returns the database product. */
    public String testSource(String json, String origin) {
        require(Permission.EDIT_CONTRACTS, "test connections");
        Contract c = contracts.validate(json, origin, true).contract();
        audit("source.test", c.name(), null, null);
        try (Connection conn = ctx.sources().open(c.source())) {
            if (!conn.isValid(5)) {
                throw new IllegalStateException("the source answered but reports the connection as invalid");
            }
            return conn.getMetaData().getDatabaseProductName() + " " + conn.getMetaData().getDatabaseProductVersion();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("source: " + e.getMessage(), e);
        }
    }

    /** Opens the contract's destination and looks for its latest delivered run there; returns what it found. */
    public String testDestination(String json, String origin) {
        require(Permission.EDIT_CONTRACTS, "test connections");
        Contract c = contracts.resolveDestination(contracts.validate(json, origin, true).contract(), origin);
        audit("destination.test", c.name(), null, null);
        List<RunRecord> delivered = ctx.store().inTransaction(cn -> ctx.store().runs().completedInOrder(cn, c.name()));
        try (Destination d = EngineDestinations.open(ctx, c.destination())) {
            // a request the destination must answer (S3 checks credentials only then), even with nothing delivered
            d.list(c.name());
            return d.describe() + " (" + deliveredRuns(d, c.name(), delivered.isEmpty() ? null
                    : contracts.load(c.name(), delivered.get(delivered.size() - 1).contractVersion()).contract(),
                    delivered) + ")";
        } catch (dev.exportdesk.transfer.DeliveryException e) {
            throw new IllegalStateException("destination: " + e.getMessage(), e);
        }
    }

    /**
     * Deliveries live in run folders, which a listing of the contract's folder (files only) never
     * counted: "0 entries" for a contract with runs. The store's delivered runs are counted instead,
     * and the newest one's manifest is looked up at the destination (one more request, however long the
     * history).
     */
    private static String deliveredRuns(Destination d, String contract, Contract latestVersion,
                                        List<RunRecord> delivered)
            throws dev.exportdesk.transfer.DeliveryException {
        if (delivered.isEmpty()) {
            return "no run of " + contract + " delivered yet";
        }
        RunRecord last = delivered.get(delivered.size() - 1);
        String manifest = dev.exportdesk.chunk.DeliveryLayout.runDirectory(latestVersion, last.contractVersion(),
                last.sequence(), last.plannedAt()) + "/"
                + dev.exportdesk.chunk.Manifest.FILE_NAME;
        return delivered.size() + (delivered.size() == 1 ? " run" : " runs") + " of " + contract + " delivered; the "
                + "latest, run #" + last.sequence() + (d.stat(manifest).isPresent() ? ", is there (" + manifest + ")"
                : ", is NOT there: " + manifest + " is missing");
    }

    // ---- runs ------------------------------------------------------------------------------

    public RunResult run(String contract, ProgressListener listener) {
        return run(contract, listener, () -> false);
    }

    /**
     * Runs a contract; when {@code cancelled} turns true the run stops at its next progress report
     * (within about half a second, or at the next chunk) as FAILED "cancelled by USER", resumable,
     * and the cancellation is audited.
     */
    public RunResult run(String contract, ProgressListener listener, BooleanSupplier cancelled) {
        require(Permission.OPERATE_RUNS, "start runs");
        soloOnly();
        audit("run.start", contract, null, null);
        return engine.run(contract, cancellable(listener, cancelled));
    }

    /**
     * A run the console's scheduler starts because {@link #scheduledWork()} found the contract due:
     * as {@link #run}, audited {@code run.start} with the detail {@value #SCHEDULED}.
     */
    public RunResult runScheduled(String contract, ProgressListener listener, BooleanSupplier cancelled) {
        require(Permission.OPERATE_RUNS, "start scheduled runs");
        soloOnly();
        // paused after the schedule read what was due: the schedule starts nothing of it
        if (schedules.state(contract).filter(ScheduleControl::paused).isPresent()) {
            throw new SchedulePausedException(contract);
        }
        audit("run.start", contract, null, SCHEDULED);
        return engine.run(contract, cancellable(listener, cancelled));
    }

    public RunResult resume(String runRef, ProgressListener listener) {
        return resume(runRef, listener, () -> false);
    }

    public RunResult resume(String runRef, ProgressListener listener, BooleanSupplier cancelled) {
        require(Permission.OPERATE_RUNS, "resume runs");
        soloOnly();
        return engine.resume(runRef, cancellable(listener, cancelled));
    }

    /**
     * Stops the run at a progress report when the user cancelled it, or when this session ended
     * meanwhile: disabling an account stops what it is running, not only its next click. The session
     * is re-read (a key lookup) at each new chunk, and between chunks once {@link #SESSION_CHECK_NANOS}
     * have passed.
     */
    private ProgressListener cancellable(ProgressListener listener, BooleanSupplier cancelled) {
        long[] lastCheck = {System.nanoTime(), 0};
        return progress -> {
            if (cancelled.getAsBoolean()) {
                require(Permission.OPERATE_RUNS, "cancel runs");
                audit("run.cancel", progress.contract() + " run " + progress.sequence(), null, progress.runId());
                throw new RunCancelledException(checks.signedIn().name());
            }
            long now = System.nanoTime();
            if (progress.chunks() != lastCheck[1] || now - lastCheck[0] >= SESSION_CHECK_NANOS) {
                lastCheck[0] = now;
                lastCheck[1] = progress.chunks();
                try {
                    refreshUser();
                } catch (SessionEndedException e) {
                    audit("run.stop", progress.contract() + " run " + progress.sequence(), null,
                            "account " + e.reason());
                    throw RunCancelledException.sessionEnded(checks.signedIn().name(), e);
                }
            }
            listener.onProgress(progress);
        };
    }

    /**
     * How many rows a run in progress will read, its lookback re-scan included (a COUNT at the source
     * over each of the run's fixed ranges), for the console's ETA; empty while that cannot be known.
     * {@code carried}: what the attempt took over from earlier ones, from its progress.
     */
    public java.util.OptionalLong estimateRunRows(String runId, RunProgress.Carried carried) {
        require(Permission.READ, "read runs");
        return estimates.rowsToRead(runId, carried);
    }

    // ---- status ----------------------------------------------------------------------------

    public List<ContractStatus> statuses() {
        require(Permission.READ, "read status");
        return status.contracts();
    }

    /** Logical contracts' replication slots as their sources report them now (one connection each). */
    public List<SlotReport> slots() {
        require(Permission.READ, "read status");
        return status.slots();
    }

    public List<RunRecord> recentRuns(int limit) {
        require(Permission.READ, "read runs");
        return status.recentRuns(limit);
    }

    public List<RunRecord> unfinishedRuns() {
        require(Permission.READ, "read runs");
        return ctx.store().inTransaction(c -> ctx.store().runs().allUnfinished(c));
    }

    public Optional<RunRecord> findRun(String runId) {
        require(Permission.READ, "read runs");
        return ctx.store().inTransaction(c -> ctx.store().runs().find(c, runId));
    }

    /**
     * The run's own log (every attempt), or empty for a run that has none. Everyone who may read runs
     * may read their logs: they tell what the run detail and status tell, in order, with the causes.
     */
    public Optional<String> runLog(String runId) {
        require(Permission.READ, "read run logs");
        return runLogs.read(runId);
    }

    /** A copy of the run's log at {@code target} (replacing a file there only with {@code replace}), audited. */
    public void saveRunLog(String runId, Path target, boolean replace) throws IOException {
        require(Permission.READ, "save run logs");
        runLogs.saveCopy(runId, target, replace);
    }

    public List<ChunkPageQuery.ChunkWithCheck> chunkPage(String runId, int afterSeq, int limit) {
        require(Permission.READ, "read chunks");
        return ctx.store().inTransaction(c -> chunkPages.page(c, runId, afterSeq, limit));
    }

    public int chunkCount(String runId) {
        require(Permission.READ, "read chunks");
        return ctx.store().inTransaction(c -> chunkPages.count(c, runId));
    }

    public List<AuditEntry> audit(int limit) {
        require(Permission.READ, "read the audit log");
        return status.audit(limit);
    }

    /** The newest {@code limit} audit entries the filter (range, actor, action) matches. */
    public List<AuditEntry> audit(AuditFilter filter, int limit) {
        require(Permission.READ, "read the audit log");
        return status.audit(filter, limit);
    }

    /** The status bar's store health, for every role: size, growth, free space, and a warning in time. */
    public StoreHealthReport storeHealth() {
        return storeHealth.check();
    }

    /**
     * In team mode workers execute runs: a console that ran one too would be a second executor the
     * leases do not fence, so every path that executes a run here is refused ({@link #team()} asks).
     */
    private void soloOnly() {
        if (team.active()) {
            throw new IllegalStateException("this workspace is attached to a team store: workers execute runs; "
                    + "ask them with Run now, Resume, Cancel or Correct");
        }
    }

    private void require(Permission permission, String action) {
        checks.require(permission, action);
    }

    private void audit(String action, String subject, String before, String after) {
        checks.audit(action, subject, before, after);
    }

    // ---- the console's schedule -------------------------------------------------------------

    /**
     * Pauses the contract's schedule (operators, stewards, admins): neither the console's schedule
     * nor {@code run --due} starts it until it is enabled; Run now still does. Audited
     * {@code contract.pause} by the engine, with this user and the reason.
     */
    public ScheduleControl pauseSchedule(String contract, String reason) {
        require(Permission.CONTROL_SCHEDULE, "pause schedules");
        return schedules.pause(contract, reason);
    }

    /** Lets the schedule start the contract again; audited {@code contract.enable}. */
    public ScheduleControl enableSchedule(String contract) {
        require(Permission.CONTROL_SCHEDULE, "enable schedules");
        return schedules.enable(contract);
    }

    /** What is due now (runs, verifications, awaited receipts), as {@code run --due} and {@code verify --due} see it. */
    /**
     * One alert pass for the console's schedule, as {@code run --due} makes after its runs: raise
     * what the store shows (failures, SLO breaches, receipts, drift) and send what is due. Operators
     * and administrators, like the rest of the schedule's work.
     */
    public dev.exportdesk.alert.AlertService.Tick alertsTick() {
        require(Permission.OPERATE_RUNS, "send alerts");
        return alerts.tick();
    }

    public DueWork.Plan scheduledWork() {
        require(Permission.READ, "read the schedule");
        return due.plan();
    }

    /**
     * A verification the schedule found due ({@code schedule.verify_interval}), at the contract's
     * level; needs the verify permission like any verification, audited {@code verify.start} with
     * the detail {@value #SCHEDULED} before the engine records each pass.
     */
    public List<VerifyService.DeepOutcome> verifyScheduled(DueWork.DueVerification dueVerification) {
        require(Permission.VERIFY, "run scheduled verifications");
        audit("verify.start", dueVerification.contract(), null, SCHEDULED + (dueVerification.deep() ? ", deep" : ""));
        return verify.verify(dueVerification.contract(), dueVerification.deep());
    }

    /**
     * Looks for a completed run's partner receipt once and judges it ({@code ack RUN}). Judging may
     * send mismatching chunks again, which is an operator's action, so it needs the operate-runs
     * permission. The engine audits each new outcome with this user; a change of state is audited
     * here as {@code ack.check} with the detail {@value #SCHEDULED} or "manual".
     */
    public Acknowledgement checkReceipt(String runId, boolean scheduled) {
        require(Permission.OPERATE_RUNS, scheduled ? "check receipts on the schedule" : "check receipts");
        RunRecord run = ctx.store().inTransaction(c -> ctx.store().runs().find(c, runId))
                .orElseThrow(() -> new IllegalArgumentException("no run " + runId));
        AckState before = acks.expected(run).map(Acknowledgement::state).orElse(null);
        Acknowledgement after = acks.poll(runId);
        if (!scheduled || after.state() != before) {
            audit("ack.check", run.contractName() + " run " + run.sequence(), before == null ? null : before.name(),
                    (scheduled ? SCHEDULED : "manual") + ": " + after.state());
        }
        return after;
    }

    /** The receipt state of a run from the state store only (empty while not completed). */
    public Optional<Acknowledgement> receipt(RunRecord run) {
        require(Permission.READ, "read receipts");
        return acks.expected(run);
    }

    // ---- the notification history -----------------------------------------------------------

    /**
     * Keeps what this user's console showed in a toast or an error dialog (every role: it is the
     * user's own history). Not audited: it records what was said, not an action.
     */
    public long keepNotification(Instant at, NotificationSeverity severity, String title, String body) {
        checks.refresh(); // every role has its own history: only an ended session is refused (not audited each time)
        return notifications.add(checks.signedIn().name(), at, severity, title, body);
    }

    /** This user's kept notifications shown before {@code before} (an earlier session's), newest first. */
    public List<Notification> notificationsBefore(Instant before, int limit) {
        checks.refresh();
        return notifications.before(checks.signedIn().name(), before, limit);
    }

    public void markNotificationsRead() {
        checks.refresh();
        notifications.markAllRead(checks.signedIn().name());
    }

    // ---- corrections (issue 6: the console's Correct) --------------------------------------

    /**
     * `correct CONTRACT|RUN`: a correction run for what the latest deep verification found that no
     * later run carries; empty when nothing is left to correct. The engine audits the planned run as
     * {@code run.correct} with this user; cancelling works as for {@link #run}, and the correction
     * stays resumable.
     */
    public Optional<RunResult> correct(String ref, ProgressListener listener, BooleanSupplier cancelled) {
        require(Permission.OPERATE_RUNS, "correct runs");
        soloOnly();
        return engine.correct(ref, cancellable(listener, cancelled));
    }

    /** How many keys correcting one run would ship now (0: nothing to correct, or never deep-verified). */
    public long correctableKeys(String runId) {
        require(Permission.READ, "read runs");
        return engine.correctableKeys(runId);
    }
}
