package dev.exportdesk.ui.schedule;

import dev.exportdesk.access.GuardedEngine;
import dev.exportdesk.access.Permission;
import dev.exportdesk.access.User;
import dev.exportdesk.engine.DueWork;
import dev.exportdesk.engine.receipts.AckService;
import dev.exportdesk.engine.receipts.Acknowledgement;
import dev.exportdesk.engine.verification.VerifyService;
import dev.exportdesk.store.AckState;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.ui.ConsoleContext;
import dev.exportdesk.ui.DialogService;
import dev.exportdesk.ui.ErrorText;
import dev.exportdesk.ui.TaskRunner;
import dev.exportdesk.ui.runs.ExportsViewModel.TaskEnd;
import dev.exportdesk.ui.runs.ExportsViewModel;
import dev.exportdesk.ui.runs.ReceiptText;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * While the console is open it holds the workspace lock, so cron's {@code run --due},
 * {@code verify --due} and {@code ack} cannot run: the console does the workspace's scheduled work
 * itself. Each {@link #tick()} asks the engine what is due ({@link DueWork}, the same answer the
 * CLI gets) in the background and then starts due exports through the Exports screen's launch
 * path, due verifications and one pass over the awaited receipts, each at most once at a time.
 * Runs only for a user who may operate runs; verifications also need the verify permission. All
 * bookkeeping is on the UI thread; store and destination access is in {@link TaskRunner} jobs.
 */
public final class ConsoleScheduler {
    /** As {@code ack --wait}: awaited receipts are looked for this often. */
    public static final Duration INTERVAL = Duration.ofSeconds(AckService.POLL_INTERVAL_SECONDS);
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleScheduler.class);
    /** The status bar's schedule item while attached to a team store. */
    public static final String TEAM_MODE = "Schedule: by the workers";
    private final GuardedEngine engine;
    private final TaskRunner tasks;
    private final DialogService dialogs;
    private final Executor uiThread;
    private final ExportsViewModel exports;
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("Schedule: first look in "
            + INTERVAL.toSeconds() + " s");
    private final Set<String> verifying = new HashSet<>();
    private final Set<String> breachNotified = new HashSet<>();
    private final ScheduleHolds holds = new ScheduleHolds();
    private final ScheduleHolds verifyHolds = new ScheduleHolds();
    private final Clock clock;
    private boolean reading;
    /** Retention is applied at most this often: its ages are counted in days. */
    static final Duration PRUNE_EVERY = Duration.ofHours(1);
    private Instant lastPrune;
    private boolean pruning;
    private boolean pollingReceipts;
    private boolean alerting;
    private boolean stopped;
    private ScheduledExecutorService timer;
    private DueWork.Plan lastPlan;
    private int awaited;

    public ConsoleScheduler(ConsoleContext context, ExportsViewModel exports) {
        this.engine = context.engine();
        this.tasks = context.tasks();
        this.dialogs = context.dialogs();
        this.uiThread = context.uiThread();
        this.exports = exports;
        this.clock = context.clock();
        if (engine.team().active()) {
            status.set(TEAM_MODE);
        }
    }

    /** Ticks every {@link #INTERVAL} until {@link #stop()} (the first tick after one interval). */
    public void start() {
        if (timer != null) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "exportdesk-schedule");
            t.setDaemon(true);
            return t;
        });
        long seconds = INTERVAL.toSeconds();
        timer.scheduleWithFixedDelay(() -> uiThread.execute(this::tick), seconds, seconds, TimeUnit.SECONDS);
    }

    /** Sign-out or close: no more ticks; work already started finishes (runs stay resumable). */
    public void stop() {
        stopped = true;
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    public boolean isStopped() {
        return stopped;
    }

    /** One look at what is due (UI thread). Skipped while the previous look is still reading. */
    public void tick() {
        if (stopped || reading) {
            return;
        }
        User user = engine.user();
        if (engine.team().active()) {
            // workers decide from the store what is due and run it; two deciders would start it twice
            status.set(TEAM_MODE);
            if (user.can(Permission.OPERATE_RUNS)) {
                checkAlerts();
            }
            return;
        }
        if (!user.can(Permission.OPERATE_RUNS)) {
            status.set(paused(user));
            return;
        }
        reading = true;
        tasks.run(engine::scheduledWork, this::act, e -> {
            reading = false;
            status.set("Schedule: cannot read what is due — " + ErrorText.summary(e));
            LOG.warn("schedule: cannot read what is due: {}", e.toString());
        });
    }

    private static String paused(User user) {
        return "Schedule paused: " + user.name() + " (" + user.role().label() + ") may not operate runs; "
                + "scheduled exports, verifications and receipts wait for an operator or admin";
    }

    private void act(DueWork.Plan plan) {
        reading = false;
        // the read re-checked the role as the store holds it now: an admin may have changed it
        if (stopped || !engine.can(Permission.OPERATE_RUNS)) {
            status.set(stopped ? "Schedule: stopped" : paused(engine.user()));
            return;
        }
        holds.keepOnly(plan.runs());
        for (String contract : plan.runs()) {
            if (!holds.holds(contract, plan.at()) && exports.runScheduled(contract, end -> {
                holds.ended(contract, end, clock.instant());
                showStatus(awaited); // no longer "running"
            })) {
                LOG.info("schedule: started {}", contract);
            }
        }
        verifyHolds.keepOnly(plan.verifications().stream().map(DueWork.DueVerification::contract).toList());
        if (engine.can(Permission.VERIFY)) {
            plan.verifications().stream().filter(v -> !verifyHolds.holds(v.contract(), plan.at()))
                    .forEach(this::verify);
        }
        lastPlan = plan;
        showStatus(plan.receipts().size());
        if (!plan.receipts().isEmpty() && !pollingReceipts) {
            pollReceipts(plan.receipts()); // says how many are still awaited once judged
        }
        checkAlerts();
        prune();
    }

    /** The contracts' retention, as {@code run --due} applies it (docs/contracts.md, "Retention"). */
    private void prune() {
        Instant now = clock.instant();
        if (pruning || (lastPrune != null && now.isBefore(lastPrune.plus(PRUNE_EVERY)))) {
            return;
        }
        pruning = true;
        lastPrune = now;
        tasks.run(() -> engine.retention().prune(java.util.Optional.empty()), done -> {
            pruning = false;
            if (!done.runs().isEmpty() || !done.local().isEmpty()) {
                LOG.info("schedule: retention pruned {} run(s), removed {} workspace folder(s)", done.runs().size(),
                        done.local().size());
            }
        }, e -> {
            pruning = false;
            dialogs.notify(DialogService.Severity.ERROR, "Retention stopped", ErrorText.summary(e));
        });
    }

    /** The contracts' alerts, as {@code run --due} raises them: the store's outbox keeps them from repeating. */
    private void checkAlerts() {
        if (alerting) {
            return;
        }
        alerting = true;
        tasks.run(engine::alertsTick, tick -> {
            alerting = false;
            if (tick.raised() > 0) {
                dialogs.notify(DialogService.Severity.WARNING, "Alerts raised: " + tick.raised(), tick.sent()
                        + " sent so far; `exportdesk alerts list` shows each and its delivery");
            }
            if (tick.error() != null) {
                LOG.warn("schedule: alerts not all evaluated or sent: {}", tick.error());
            }
        }, e -> {
            alerting = false;
            LOG.warn("schedule: alerts: {}", e.toString());
        });
    }

    private void showStatus(int awaitedReceipts) {
        awaited = awaitedReceipts;
        if (lastPlan != null && !stopped) {
            status.set(ScheduleText.describe(lastPlan, exports.runningContracts(), holds.heldUntil(lastPlan.at()),
                    engine.can(Permission.VERIFY), awaitedReceipts));
        }
    }

    private void verify(DueWork.DueVerification due) {
        if (!verifying.add(due.contract())) {
            return;
        }
        tasks.run(() -> engine.verifyScheduled(due), outcomes -> {
            verifying.remove(due.contract());
            verifyHolds.ended(due.contract(), TaskEnd.COMPLETED, clock.instant());
            List<VerifyService.DeepOutcome> failed = outcomes.stream().filter(o -> !o.ok()).toList();
            if (!failed.isEmpty()) {
                dialogs.notify(DialogService.Severity.ERROR, "Scheduled verification failed: " + due.contract(),
                        failed.size() + " of " + outcomes.size() + " run(s) failed verification, first #"
                                + failed.get(0).run().sequence() + " (see the run detail)");
            }
        }, e -> {
            verifying.remove(due.contract());
            // it stays due (nothing was recorded): try again after a back-off, not at every tick
            verifyHolds.ended(due.contract(), TaskEnd.FAILED, clock.instant());
            dialogs.notify(DialogService.Severity.ERROR, "Scheduled verification stopped: " + due.contract(),
                    ErrorText.summary(e));
        });
    }

    /** One run after the other (each may open the destination), in one background job. */
    private void pollReceipts(List<RunRecord> runs) {
        pollingReceipts = true;
        tasks.run(() -> {
            List<Judged> out = new ArrayList<>();
            for (RunRecord run : runs) {
                try {
                    out.add(new Judged(run, engine.checkReceipt(run.id(), true), null));
                } catch (RuntimeException e) {
                    out.add(new Judged(run, null, e));
                }
            }
            return out;
        }, judged -> {
            pollingReceipts = false;
            judged.forEach(this::report);
            showStatus((int) judged.stream().filter(j -> j.receipt() == null || j.receipt().awaitingReceipt()).count());
        }, e -> {
            pollingReceipts = false;
            LOG.warn("schedule: receipts not checked: {}", e.toString());
        });
    }

    private record Judged(RunRecord run, Acknowledgement receipt, RuntimeException error) {
    }

    private void report(Judged j) {
        if (j.error() != null) {
            LOG.warn("schedule: receipt of run {} not checked: {}", j.run().id(), j.error().toString());
            return;
        }
        Acknowledgement a = j.receipt();
        // an overdue run stays overdue at every later look: say it once per run and state
        if (ReceiptText.needsAttention(a) && breachNotified.add(a.runId() + " " + a.state() + " " + a.deadline())) {
            dialogs.notify(a.sloBreached() ? DialogService.Severity.ERROR : DialogService.Severity.WARNING,
                    a.sloBreached() ? "Receipt overdue (SLO breach)" : "Receipt " + a.state().name().toLowerCase(Locale.ROOT),
                    ReceiptText.of(j.run(), a));
        } else if (a.state() == AckState.ACKNOWLEDGED) {
            dialogs.notify(DialogService.Severity.INFO, "Receipt acknowledged", ReceiptText.of(j.run(), a));
        }
        if (!a.awaitingReceipt()) {
            exports.refresh();
        }
    }

    /** "Schedule: next orders-to-acme at 14:05 · 2 receipts awaited", or why it is paused. */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }
}
