package dev.exportdesk.ui.runs;

import dev.exportdesk.access.GuardedEngine;
import dev.exportdesk.access.Permission;
import dev.exportdesk.access.SchedulePausedException;
import dev.exportdesk.engine.ExportEngine;
import dev.exportdesk.engine.runs.RunProgress;
import dev.exportdesk.engine.runs.RunResult;
import dev.exportdesk.engine.runs.LogicalCapture;
import dev.exportdesk.engine.status.ContractStatus;
import dev.exportdesk.store.RunMode;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.text.Text;
import dev.exportdesk.store.RunState;
import dev.exportdesk.store.ScheduleStateRepository;
import dev.exportdesk.ui.ConsoleContext;
import dev.exportdesk.ui.DialogService;
import dev.exportdesk.ui.ErrorText;
import dev.exportdesk.ui.RunEvents;
import dev.exportdesk.ui.TaskRunner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * Exports: contracts with their schedule, runs now, running tasks with cancel, the runs table with
 * stalled runs flagged and Resume, Correct for a run whose latest deep verification left rows no
 * later run carries, Check receipt, and the "unfinished runs found" offer on start. The console's
 * schedule launches its due exports here too ({@link #runScheduled}): this model lives as long as
 * the shell, so its tasks run whichever screen is shown. Attached to a team store, nothing runs
 * here: Run now, Resume and Cancel are requests to the workers ({@link TeamRequests}), and the
 * screen follows their progress by polling the store.
 */
public final class ExportsViewModel implements RunEvents.Listener {
    /** How a contract's task ended: the run completed, it did not, or a person cancelled it. */
    public enum TaskEnd { COMPLETED, FAILED, CANCELLED }

    private final GuardedEngine engine;
    private final TaskRunner tasks;
    private final DialogService dialogs;
    private final RunEvents events;
    private final Clock clock;
    private final ObservableList<ContractStatus> schedule = FXCollections.observableArrayList();
    private final ObservableList<RunRow> runs = FXCollections.observableArrayList();
    private final ObjectProperty<ContractStatus> selectedContract = new SimpleObjectProperty<>();
    private final ObjectProperty<RunRow> selectedRun = new SimpleObjectProperty<>();
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    /** How long what an action said stays on the message line before the runs summary replaces it. */
    private static final Duration NOTICE_KEPT = Duration.ofSeconds(15);
    private Instant noticeUntil = Instant.MIN;
    private final ReadOnlyBooleanWrapper canOperate = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper canControlSchedule = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper correctable = new ReadOnlyBooleanWrapper();
    /** The selected run's correctable keys, as last read with {@link #correctable}: what Correct would ship. */
    private volatile long correctableKeys;
    private final ReceiptCheck receipts;
    private final Map<String, TaskRunner.Handle> running = new ConcurrentHashMap<>();
    private final Map<String, String> runningRunIds = new ConcurrentHashMap<>();
    private final Map<String, Consumer<TaskEnd>> scheduled = new ConcurrentHashMap<>();
    /** Cancelled tasks whose engine call has not returned yet: the run stops at its next progress report. */
    private final Set<String> stopping = ConcurrentHashMap.newKeySet();
    private final Executor uiThread;
    private final Set<String> sloWarned = new HashSet<>();
    private final Set<String> seenRuns = new HashSet<>();
    private final Map<String, RunEta> etas = new ConcurrentHashMap<>();
    /** The latest progress report per run running here (UI thread); dropped when its task ends. */
    private final Map<String, RunProgress> liveProgress = new HashMap<>();
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ExportsViewModel.class);
    private Runnable unsubscribe;
    /** Team mode: workers execute runs; this console asks them ({@link TeamRequests}) and polls the store. */
    private final boolean team;
    private final TeamRequests requests;
    /** A poll's read is out (team mode): the next tick is skipped rather than queued behind it. */
    private boolean polling;

    public ExportsViewModel(ConsoleContext context) {
        this.engine = context.engine();
        this.tasks = context.tasks();
        this.dialogs = context.dialogs();
        this.events = context.events();
        this.clock = context.clock();
        this.uiThread = context.uiThread();
        canOperate.set(engine.can(Permission.OPERATE_RUNS));
        canControlSchedule.set(engine.can(Permission.CONTROL_SCHEDULE));
        this.receipts = new ReceiptCheck(engine, tasks);
        this.team = engine.team().active();
        this.requests = new TeamRequests(engine.team(), tasks, dialogs, uiThread, this::showRequest);
        // on every set, not only on change: a refresh re-selects an equal row whose answer may differ
        selectedRun.addListener((javafx.beans.Observable o) -> {
            readCorrectable(selectedRun.get());
            receipts.select(selectedRun.get() == null ? null : selectedRun.get().run());
        });
    }

    /** Screen shown: listen to engine events and load. */
    public void activate() {
        if (unsubscribe == null) {
            unsubscribe = events.subscribe(this);
        }
        if (team) {
            // a worker's progress reaches the store only: re-read it while the screen is shown
            requests.startPolling(this::poll);
        }
        refresh();
    }

    /** Screen hidden: stop listening. */
    public void deactivate() {
        requests.stopPolling();
        if (unsubscribe != null) {
            unsubscribe.run();
            unsubscribe = null;
        }
    }

    /** {@code runs}: unfinished ones count what they sealed so far (a worker's run, in team mode). */
    private record Snapshot(List<ContractStatus> statuses, List<RunRecord> runs, Map<String, Duration> stallAfter,
                            java.util.Set<String> pruned) {
    }

    public void refresh() {
        read(this::show);
    }

    /** One poll (team mode): skipped while the previous one is still reading. */
    private void poll() {
        if (polling) {
            return;
        }
        polling = true;
        requests.follow();
        read(s -> {
            polling = false;
            show(s);
        });
    }

    private void read(Consumer<Snapshot> then) {
        tasks.run(() -> {
            List<ContractStatus> statuses = engine.statuses();
            Map<String, Duration> stall = new HashMap<>();
            for (ContractStatus s : statuses) {
                stall.put(s.contract(), RunRow.stallAfter(engine.load(s.contract()).contract().retry().maxBackoff()));
            }
            List<RunRecord> recent = engine.recentRuns(500);
            return new Snapshot(statuses, recent, stall,
                    engine.retention().pruned(recent.stream().map(RunRecord::id).toList()));
        }, then, e -> {
            polling = false;
            message.set("Could not read runs: " + ErrorText.summary(e));
        });
    }

    private void show(Snapshot s) {
        // the reads above checked the user's role as the store holds it now (an admin may have changed it)
        canOperate.set(engine.can(Permission.OPERATE_RUNS));
        canControlSchedule.set(engine.can(Permission.CONTROL_SCHEDULE));
        String keepContract = selectedContract.get() == null ? null : selectedContract.get().contract();
        String keepRun = selectedRun.get() == null ? null : selectedRun.get().run().id();
        schedule.setAll(s.statuses());
        runs.setAll(s.runs().stream().map(r -> {
            RunProgress live = liveProgress.get(r.id());
            // a run running here keeps the counts of its latest tick: the store's are from its last heartbeat
            return live != null && !r.state().finished() && running.containsKey(r.contractName()) ? live(r, live)
                    : RunRow.of(r, runningRunIds.containsValue(r.id()) || running.containsKey(r.contractName())
                    && !r.state().finished(), s.stallAfter().getOrDefault(r.contractName(), Duration.ofMinutes(2)),
                    clock.instant(), !team).withPruned(s.pruned().contains(r.id()));
        }).toList());
        schedule.stream().filter(c -> c.contract().equals(keepContract)).findFirst().ifPresent(selectedContract::set);
        runs.stream().filter(r -> r.run().id().equals(keepRun)).findFirst().ifPresent(selectedRun::set);
        long stalled = runs.stream().filter(RunRow::needsAttention).count();
        if (clock.instant().isAfter(noticeUntil)) { // a refresh must not wipe what an action just said
            message.set(runs.size() + " run(s)" + (stalled > 0 ? ", " + stalled + " stalled or interrupted (Resume)" : "")
                    + (running.isEmpty() ? "" : ", " + running.size() + " running")
                    + (requests.line() == null ? "" : " · " + requests.line()));
        }
        for (ContractStatus c : s.statuses()) {
            if (c.sloBreached() && sloWarned.add(c.contract())) {
                dialogs.notify(DialogService.Severity.WARNING, "SLO breached: " + c.contract(),
                        "Delivery lag " + c.deliveryLag().toMinutes() + " min exceeds " + c.maxDeliveryLag().toMinutes()
                                + " min.");
            }
        }
    }

    /**
     * Pause on the schedule table: asks why (optional, one line), then pauses the selected contract's
     * schedule in the background; the table and the line under it show who paused it and why.
     */
    public void pauseSelected() {
        ContractStatus c = selectedContract.get();
        if (c == null || c.paused()) {
            return;
        }
        Optional<String> reason = dialogs.askText("Pause " + c.contract(), "The schedule will not start "
                + c.contract() + " until it is enabled; Run now still runs it. Why (optional)?",
                ScheduleStateRepository.MAX_REASON);
        if (reason.isEmpty()) {
            say("Not paused.");
            return;
        }
        tasks.run(() -> engine.pauseSchedule(c.contract(), reason.get()), s -> {
            say(c.contract() + " paused: the schedule does not start it; Run now still does");
            refresh();
        }, e -> dialogs.showError("Not paused: " + c.contract(), e));
    }

    /**
     * Re-sync… on the schedule table: the whole table goes to the partner again, so the operator
     * reads what will happen (the run, the contract version, a logical contract's slot) before it
     * is planned; then it starts, as Run now would (docs/cdc.md, "Re-sync").
     */
    public void resyncSelected() {
        ContractStatus c = selectedContract.get();
        if (c == null) {
            return;
        }
        tasks.run(() -> {
            engine.replication().mayResync();
            return c;
        }, allowed -> {
            String from = null;
            if (resendable(c)) {
                Optional<String> answer = dialogs.askText("Re-sync " + c.contract(), "Send again from which cursor "
                        + "value (e.g. 2026-11-30 or 2026-11-30T08:00:00Z, UTC unless it has an offset)? Leave it "
                        + "empty to send the whole table.", 200);
                if (answer.isEmpty()) {
                    say("Re-sync not planned.");
                    return;
                }
                from = answer.get().isBlank() ? null : answer.get().trim();
            }
            resync(c, from);
        }, e -> dialogs.showError("Cannot re-sync " + c.contract(), e));
    }

    private void resync(ContractStatus c, String watermark) {
        tasks.run(() -> engine.replication().resyncPlan(c.contract(), watermark), plan -> {
            if (!dialogs.confirm("Re-sync " + c.contract(), Text.safe(plan.describe()) + ".\n\nIt starts now.")) {
                say("Re-sync not planned.");
                return;
            }
            tasks.run(() -> engine.replication().resync(c.contract(), watermark), done -> runNow(c.contract()),
                    e -> dialogs.showError("Not re-synced: " + c.contract(), e));
        }, e -> dialogs.showError("Cannot re-sync " + c.contract(), e));
    }

    /** A cursor contract that delivered something can send again from a cursor value (resync --from). */
    private static boolean resendable(ContractStatus c) {
        String cursor = c.checkpoint() == null ? null : c.checkpoint().cursorValue();
        return cursor != null && !LogicalCapture.isPosition(cursor) && !"null".equals(cursor);
    }

    /**
     * Drop slot… on the schedule table: the replication slot a contract no longer streams from (it was
     * switched to cursor capture, or paused for good) stops holding WAL at the source. What will be
     * dropped is read first; the engine refuses a contract that still streams unpaused (docs/cdc.md,
     * "Retiring a logical contract").
     */
    public void dropSlotSelected() {
        ContractStatus c = selectedContract.get();
        if (c == null) {
            return;
        }
        tasks.run(() -> engine.replication().dropSlotPlan(c.contract()), plan -> {
            if ("missing".equals(plan.slotState())) {
                say(Text.safe(plan.describe()));
                return;
            }
            if (!dialogs.confirm("Drop the replication slot of " + c.contract(), Text.safe(plan.describe()) + ".")) {
                say("Slot not dropped.");
                return;
            }
            tasks.run(() -> engine.replication().dropSlot(c.contract()), done -> {
                say("Replication slot " + done.slot() + " of " + c.contract() + " dropped");
                refresh();
            }, e -> dialogs.showError("Slot not dropped: " + c.contract(), e));
        }, e -> dialogs.showError("Cannot drop the slot of " + c.contract(), e));
    }

    /** Enable on the schedule table: the schedule starts the selected contract again when it is due. */
    public void enableSelected() {
        ContractStatus c = selectedContract.get();
        if (c == null || !c.paused()) {
            return;
        }
        tasks.run(() -> engine.enableSchedule(c.contract()), s -> {
            say(c.contract() + " enabled: the schedule starts it when it is due");
            refresh();
        }, e -> dialogs.showError("Not enabled: " + c.contract(), e));
    }

    /** True while the user may pause and enable schedules (operators, stewards, admins). */
    public ReadOnlyBooleanProperty canControlScheduleProperty() {
        return canControlSchedule.getReadOnlyProperty();
    }

    /** Starts the selected contract now (completes its unfinished run first, as the engine does). */
    public void runSelected() {
        ContractStatus c = selectedContract.get();
        if (c != null) {
            runNow(c.contract());
        }
    }

    public void runNow(String contract) {
        if (team) {
            requests.ask("Run now of " + contract, () -> engine.team().runNow(contract));
            return;
        }
        String busy = busy(contract);
        if (busy != null) {
            say(busy);
            return;
        }
        launch(contract, "Export " + contract, p -> Optional.of(engine.run(contract, forward(p), p::cancelled)));
    }

    /**
     * Starts a contract the console's schedule found due, through the same task as Run now (it shows
     * among the running tasks, with progress, ETA and Cancel). Returns false, and starts nothing,
     * while the contract already has a task here. {@code ended} hears how the task ended (UI thread);
     * a scheduled task that fails is reported in a notification, not a dialog, since nobody asked for it.
     */
    public boolean runScheduled(String contract, Consumer<TaskEnd> ended) {
        if (busy(contract) != null) {
            return false;
        }
        scheduled.put(contract, ended);
        launch(contract, "Scheduled export " + contract,
                p -> Optional.of(engine.runScheduled(contract, forward(p), p::cancelled)));
        return true;
    }

    /** Contracts with a task running from this console, or still stopping after Cancel (any thread). */
    public Set<String> runningContracts() {
        Set<String> out = new HashSet<>(running.keySet());
        out.addAll(stopping);
        return Set.copyOf(out);
    }

    /**
     * Why {@code contract} cannot start a task now, or null. A cancelled task reports back at once,
     * but its run goes on to its next progress report; the engine refuses a second execution of the
     * contract meanwhile ({@code RunClaims}), and this says so before asking it.
     */
    private String busy(String contract) {
        if (stopping.contains(contract)) {
            return contract + " is still stopping after Cancel; try again in a moment";
        }
        return running.containsKey(contract) ? contract + " is already running" : null;
    }

    public void resumeSelected() {
        RunRow r = selectedRun.get();
        if (r != null && r.resumable()) {
            resume(r.run());
        }
    }

    public void resume(RunRecord run) {
        if (team) {
            requests.ask("Resume of " + run.contractName() + " #" + run.sequence(),
                    () -> engine.team().resume(run.id()));
            return;
        }
        String busy = busy(run.contractName());
        if (busy != null) {
            say(busy);
            return;
        }
        launch(run.contractName(), "Resume " + run.contractName() + " #" + run.sequence(),
                p -> Optional.of(engine.resume(run.id(), forward(p), p::cancelled)));
    }

    /**
     * Whether the selected run has rows to correct, asked in the background on every selection (so
     * a correction that shipped them disables Correct again); a late answer for a run no longer
     * selected is dropped.
     */
    private void readCorrectable(RunRow row) {
        correctable.set(false);
        correctableKeys = 0;
        if (row == null || !canOperate.get() || row.run().state() != RunState.COMPLETED) {
            return;
        }
        String id = row.run().id();
        tasks.run(() -> engine.correctableKeys(id), keys -> {
            boolean current = selectedRun.get() != null && selectedRun.get().run().id().equals(id);
            correctableKeys = current ? keys : 0;
            correctable.set(keys > 0 && current);
        }, e -> LOG.info("cannot tell whether run {} has rows to "
                + "correct: {}", id, e.toString()));
    }

    /** Check receipt: the selected run's partner receipt, judged now; the outcome in the message line. */
    public void checkReceiptSelected() {
        receipts.check(message::set);
    }

    /** True while the selected run expects a partner receipt and the user may check it. */
    public ReadOnlyBooleanProperty receiptCheckableProperty() {
        return receipts.checkableProperty();
    }

    /** Correct on the runs table: rows go to a partner, so a person confirms first. */
    public void correctSelected() {
        RunRow r = selectedRun.get();
        if (r == null) {
            return;
        }
        RunRecord run = r.run();
        if (!dialogs.confirm("Ship a correction", "Ship " + correctableKeys + " row(s) that run #" + run.sequence()
                + " of " + run.contractName() + " delivered differently from the source, re-read from the source "
                + "now, to the partner as the contract's next run?")) {
            say("Correction not started.");
            return;
        }
        correct(run);
    }

    /** Ships, as a correction run, what the run's latest deep verification found that no later run carries. */
    public void correct(RunRecord run) {
        if (team) {
            requests.ask("Correct of " + run.contractName() + " #" + run.sequence(),
                    () -> engine.team().correct(run.id()));
            return;
        }
        String busy = busy(run.contractName());
        if (busy != null) {
            say(busy);
            return;
        }
        launch(run.contractName(), "Correct " + run.contractName() + " #" + run.sequence(),
                p -> engine.correct(run.id(), forward(p), p::cancelled));
    }

    private dev.exportdesk.engine.ProgressListener forward(TaskRunner.Progress p) {
        dev.exportdesk.engine.ProgressListener toScreens = events.engineListener();
        return progress -> {
            runningRunIds.put(progress.contract(), progress.runId());
            RunEta eta = eta(progress);
            p.update(eta.describe(progress), eta.fraction(progress)); // javafx.concurrent.Task coalesces these
            toScreens.onProgress(progress);
        };
    }

    /**
     * The ETA of a run; on its first progress tick (its bounds are fixed by then) the expected row
     * count is read once at the source in the background, so the engine thread never waits for it.
     */
    private RunEta eta(RunProgress first) {
        return etas.computeIfAbsent(first.runId(), id -> {
            RunEta eta = new RunEta();
            tasks.run(() -> engine.estimateRunRows(id, first.carried()), eta::expect,
                    e -> LOG.info("no row estimate for run {}: {}", id, e.toString()));
            return eta;
        });
    }

    /** The running-task line of {@code p}, with its ETA when the expected rows are known. */
    public String describe(RunProgress p) {
        RunEta eta = etas.get(p.runId());
        return (eta == null ? new RunEta() : eta).describe(p);
    }


    /** Runs {@code job} as a task; its result is empty when the engine found nothing to do (a correction). */
    private void launch(String contract, String title, TaskRunner.Job<Optional<RunResult>> job) {
        // registered before submitting: a runner that finishes the job at once (tests) removes it again
        AtomicReference<TaskRunner.Handle> submitted = new AtomicReference<>();
        // whether the engine call began and whether it has returned: a cancelled task that never
        // started has no run to wait for
        AtomicBoolean started = new AtomicBoolean();
        AtomicBoolean returned = new AtomicBoolean();
        running.put(contract, () -> {
            TaskRunner.Handle h = submitted.get();
            if (h != null) {
                h.cancel();
            }
        });
        say("Started " + title.toLowerCase(java.util.Locale.ROOT));
        refresh();
        submitted.set(tasks.submit(title, p -> {
            started.set(true);
            try {
                return job.call(p);
            } finally {
                returned.set(true);
                uiThread.execute(() -> stopping.remove(contract));
                events.runEnded(contract);
            }
        }, result -> finished(contract, result), e -> failed(contract, e, started.get() && !returned.get())));
    }

    /** A contract's task ended: drop what was kept about its run while it ran here. */
    private void forget(String contract) {
        running.remove(contract);
        String runId = runningRunIds.remove(contract);
        if (runId != null) {
            etas.remove(runId);
            liveProgress.remove(runId);
        }
    }

    private void finished(String contract, Optional<RunResult> outcome) {
        forget(contract);
        Consumer<TaskEnd> ended = scheduled.remove(contract);
        if (ended != null) {
            ended.accept(outcome.map(r -> r.completed() ? TaskEnd.COMPLETED : TaskEnd.FAILED).orElse(TaskEnd.COMPLETED));
        }
        if (outcome.isEmpty()) {
            dialogs.notify(DialogService.Severity.INFO, "Nothing to correct", contract + ": "
                    + ExportEngine.NOTHING_TO_CORRECT);
            return;
        }
        RunResult result = outcome.get();
        String heading = contract + " #" + result.run().sequence();
        if (message.get().equals(runningText(heading))) {
            // the line said the run is running: it must not go on saying so once the run has ended
            say(heading + (result.completed() ? " completed"
                    : " " + result.run().state().name().toLowerCase(Locale.ROOT) + ": see the runs table"));
        }
        if (result.completed()) {
            dialogs.notify(DialogService.Severity.INFO, result.run().mode() == RunMode.CORRECTION
                    ? "Correction run completed" : "Run completed", contract + " run #" + result.run().sequence()
                    + ": " + result.run().rowCount() + " rows in " + result.run().chunkCount() + " chunks");
        } else {
            dialogs.notify(DialogService.Severity.ERROR, "Run " + result.run().state().name().toLowerCase()
                    + ": " + contract, result.run().error() == null ? "See the runs table." : result.run().error());
        }
        refresh();
    }

    /**
     * A run's problem in full (the Problem cell's Details…): the reason, and from the run's log its
     * last attempt with the retries and the failure's cause chain.
     */
    public void showProblem(RunRecord run) {
        String title = "Problem of " + run.contractName() + " #" + run.sequence();
        tasks.run(() -> engine.runLog(run.id()), log -> dialogs.showText(title, RunProblemText.of(run, log)),
                e -> dialogs.showText(title, RunDetailViewModel.problemText(run) + "\n\n(The run's log could not be "
                        + "read: " + ErrorText.summary(e) + ")"));
    }

    /** {@code engineBusy}: the engine call began and has not returned (a cancelled run still stopping). */
    private void failed(String contract, Throwable e, boolean engineBusy) {
        forget(contract);
        Consumer<TaskEnd> ended = scheduled.remove(contract);
        boolean cancelled = e instanceof java.util.concurrent.CancellationException;
        boolean paused = e instanceof SchedulePausedException; // paused since the schedule looked: nothing started
        if (ended != null) {
            ended.accept(cancelled ? TaskEnd.CANCELLED : paused ? TaskEnd.COMPLETED : TaskEnd.FAILED);
        }
        if (paused) {
            say(e.getMessage());
        } else if (cancelled) {
            // the engine stops the run at its next progress report, audits it, and onRunEnded refreshes
            if (engineBusy) {
                stopping.add(contract);
            }
            say("Cancelling " + contract + "… (Resume continues it later)");
        } else if (ended != null) {
            dialogs.notify(DialogService.Severity.ERROR, "Scheduled export stopped: " + contract,
                    ErrorText.summary(e));
        } else {
            dialogs.showError("The export of " + contract + " stopped", e);
        }
        refresh();
    }

    /**
     * Cancel on the runs table (team mode): asks the worker executing the selected run to stop it at
     * its next progress report; it stays resumable.
     */
    public void cancelSelected() {
        RunRow r = selectedRun.get();
        if (team && r != null && !r.run().state().finished()) {
            RunRecord run = r.run();
            requests.ask("Cancel of " + run.contractName() + " #" + run.sequence(), () -> engine.team().cancel(run.id()));
        }
    }

    /** True in team mode: runs are requests to the workers, and Cancel is on the runs table. */
    public boolean teamMode() {
        return team;
    }

    /** The request line (team mode): what was asked last, and what the worker made of it; null before. */
    public String requestLine() {
        return requests.line();
    }

    /** A request was asked or changed state: say so now, and show its run's row. */
    private void showRequest(String line) {
        say(line);
        refresh();
    }

    /** Cancels a contract's running task (as the task view's Cancel does); the run stays resumable. */
    public void cancel(String contract) {
        TaskRunner.Handle h = running.get(contract);
        if (h != null) {
            h.cancel();
        }
    }

    /** On start: offers to resume runs left unfinished (a crash or kill, a failure, a cancel), each with its reason. */
    public void offerResumeOfUnfinished() {
        if (team) {
            return; // workers take over the unfinished runs of workers that died or stopped
        }
        tasks.run(engine::unfinishedRuns, unfinished -> {
            if (unfinished.isEmpty() || !engine.can(Permission.OPERATE_RUNS)) {
                return;
            }
            if (dialogs.confirm("Unfinished runs found", ResumeOffer.question(unfinished))) {
                unfinished.forEach(this::resume);
            }
        }, e -> say("Could not look for unfinished runs: " + ErrorText.summary(e)));
    }

    @Override
    public void onProgress(RunProgress progress) {
        if (!running.containsKey(progress.contract())
                || !progress.runId().equals(runningRunIds.get(progress.contract()))) {
            // a late tick of a run that has ended here (coalesced ticks arrive up to 250 ms late),
            // perhaps while the next run of the same contract is running: it would show old counts
            return;
        }
        if (seenRuns.add(progress.runId())) {
            refresh(); // its first tick: the run is capturing now; both tables re-read its state once
            // said once: the running-task view carries the live figures (two copies of them,
            // updated at different moments, disagreed on screen)
            say(runningText(progress.contract() + " #" + progress.sequence()));
        }
        liveProgress.put(progress.runId(), progress);
        for (int i = 0; i < runs.size(); i++) {
            RunRecord r = runs.get(i).run();
            if (r.id().equals(progress.runId())) {
                runs.set(i, live(r, progress)); // from the event itself: no database round trip per tick
                return;
            }
        }
    }

    /** A running run's row with the counts of its latest progress report. */
    private RunRow live(RunRecord r, RunProgress p) {
        return new RunRow(new RunRecord(r.id(), r.contractName(), r.contractVersion(), r.sequence(), r.mode(),
                r.state(), r.plannedAt(), r.finishedAt(), r.cursorFrom(), r.lookbackFrom(), r.upperBound(),
                r.schemaFingerprint(), p.rows(), p.bytes(), p.chunks(), r.attempts(), r.previousManifestSha256(),
                r.manifestSha256(), r.error(), clock.instant()), true, false, false, null, false);
    }

    @Override
    public void onRunEnded(String contract) {
        // the engine has returned (after a cancel the task reported back before the run stopped): re-read
        refresh();
    }

    /** True while the contract has a task here, or its cancelled run has not stopped yet. */
    public boolean isRunning(String contract) {
        return busy(contract) != null;
    }

    /** Whether any task started here (run, resume, correction) is still running. */
    public boolean anyRunning() {
        return !running.isEmpty();
    }

    public ObservableList<ContractStatus> schedule() {
        return schedule;
    }

    public ObservableList<RunRow> runs() {
        return runs;
    }

    public ObjectProperty<ContractStatus> selectedContractProperty() {
        return selectedContract;
    }

    public ObjectProperty<RunRow> selectedRunProperty() {
        return selectedRun;
    }

    /** What the message line says once a run of {@code heading} ("contract #n") starts capturing. */
    private static String runningText(String heading) {
        return heading + " is running: progress under Running";
    }

    /** What an action says on the message line; kept there a while over the runs summary. */
    private void say(String text) {
        message.set(text);
        noticeUntil = clock.instant().plus(NOTICE_KEPT);
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canOperateProperty() {
        return canOperate.getReadOnlyProperty();
    }

    /** True while the selected run has rows to correct and the user may operate runs. */
    public ReadOnlyBooleanProperty correctableProperty() {
        return correctable.getReadOnlyProperty();
    }
}
