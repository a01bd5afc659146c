package dev.exportdesk.ui.dashboard;

import dev.exportdesk.access.GuardedEngine;
import dev.exportdesk.engine.status.ContractStatus;
import dev.exportdesk.engine.status.SlotReport;
import dev.exportdesk.store.AckState;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.RunState;
import dev.exportdesk.ui.ConsoleContext;
import dev.exportdesk.ui.ErrorText;
import dev.exportdesk.ui.TaskRunner;
import dev.exportdesk.ui.runs.RunRow;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * Health across contracts (failing, SLO breached, stalled, receipts overdue, first) and drift and
 * health per contract from what the engine records: rows shipped per run, the partner's delivery
 * lag over time against the contract's max delivery lag, attempts and failures. Drift history
 * (issue 5): rows changed since export, missing at source and late arrivals found by each recorded
 * verification pass of the contract.
 */
public final class DashboardViewModel {
    /** One run on the charts; the view keeps the run id on the chart node to open the run on click. */
    public record Point(String runId, long sequence, long rows, int attempts, boolean failed) {
    }

    /** One verification pass on the drift chart, numbered in order; clicking it opens the run it checked. */
    public record DriftPoint(int pass, String runId, java.time.Instant at, long changed, long missing, long late,
                             int mismatches) {
    }

    /**
     * The partner's delivery lag at a moment: how old the newest data they have was then. It drops
     * at each run's delivery (to that run's duration) and grows until the next.
     */
    public record LagPoint(Instant at, double minutes, String runId) {
    }

    private final GuardedEngine engine;
    private final Predicate<String> runningHere;
    private final Clock clock;
    private final ObservableList<HealthRow> health = FXCollections.observableArrayList();
    private final ObservableList<LagPoint> lag = FXCollections.observableArrayList();
    private final TaskRunner tasks;
    private final Consumer<String> openRun;
    private final ObservableList<String> contracts = FXCollections.observableArrayList();
    private final ObjectProperty<String> contract = new SimpleObjectProperty<>();
    private final ObservableList<Point> points = FXCollections.observableArrayList();
    private final ObservableList<DriftPoint> drift = FXCollections.observableArrayList();
    private java.util.Map<String, List<DriftPoint>> driftByContract = java.util.Map.of();
    private final ObjectProperty<Double> sloMinutes = new SimpleObjectProperty<>();
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper("");
    private List<RunRecord> allRuns = List.of();
    private List<ContractStatus> statuses = List.of();

    public DashboardViewModel(ConsoleContext context, Consumer<String> openRun) {
        this(context, openRun, contract -> false);
    }

    /** {@code runningHere}: whether a run of the contract runs in this console now (it is not stalled). */
    public DashboardViewModel(ConsoleContext context, Consumer<String> openRun, Predicate<String> runningHere) {
        this.engine = context.engine();
        this.runningHere = runningHere;
        this.clock = context.clock();
        this.tasks = context.tasks();
        this.openRun = openRun;
        contract.addListener((o, a, b) -> select());
    }

    private record Data(List<ContractStatus> statuses, List<RunRecord> runs,
                        java.util.Map<String, List<DriftPoint>> drift, java.util.Map<String, Long> receiptsOverdue,
                        java.util.Map<String, Duration> stallAfter, java.util.Map<String, SlotReport> slots) {
    }

    public void refresh() {
        tasks.run(() -> {
            List<ContractStatus> st = engine.statuses();
            java.util.Map<String, List<DriftPoint>> history = new java.util.HashMap<>();
            for (ContractStatus s : st) {
                List<DriftPoint> out = new ArrayList<>();
                for (var p : engine.verification().driftHistory(s.contract())) {
                    out.add(new DriftPoint(out.size() + 1, p.runId(), p.startedAt(), p.rowsChanged(),
                            p.rowsMissing(), p.rowsExtra(), p.mismatches()));
                }
                history.put(s.contract(), out);
            }
            List<RunRecord> runs = engine.recentRuns(2_000);
            java.util.Map<String, Long> overdue = new java.util.HashMap<>();
            java.util.Map<String, Duration> stall = new java.util.HashMap<>();
            Instant since = clock.instant().minus(HealthRow.WINDOW);
            for (ContractStatus s : st) {
                stall.put(s.contract(), RunRow.stallAfter(engine.load(s.contract()).contract().retry().maxBackoff()));
                overdue.put(s.contract(), runs.stream().filter(r -> r.contractName().equals(s.contract())
                                && r.state() == RunState.COMPLETED && r.finishedAt() != null && r.finishedAt().isAfter(since))
                        .filter(r -> engine.receipt(r).filter(a -> a.state() == AckState.OVERDUE).isPresent()).count());
            }
            java.util.Map<String, SlotReport> slots = new java.util.HashMap<>();
            engine.slots().forEach(r -> slots.put(r.contract(), r));
            return new Data(st, runs, history, overdue, stall, slots);
        }, d -> {
            statuses = d.statuses();
            allRuns = d.runs();
            driftByContract = d.drift();
            Instant now = clock.instant();
            health.setAll(d.statuses().stream().map(s -> HealthRow.of(s, allRuns.stream()
                            .filter(r -> r.contractName().equals(s.contract())).toList(),
                    d.receiptsOverdue().getOrDefault(s.contract(), 0L), runningHere.test(s.contract()),
                    d.stallAfter().getOrDefault(s.contract(), Duration.ofMinutes(2)), now, d.slots().get(s.contract())))
                    .sorted(Comparator.comparing((HealthRow h) -> !h.alarming()).thenComparing(HealthRow::contract))
                    .toList());
            String keep = contract.get();
            contracts.setAll(statuses.stream().map(ContractStatus::contract).toList());
            contract.set(keep != null && contracts.contains(keep) ? keep : contracts.isEmpty() ? null : contracts.get(0));
            select();
        }, e -> summary.set("Could not read runs: " + ErrorText.summary(e)));
    }

    private void select() {
        String c = contract.get();
        List<Point> out = new ArrayList<>();
        allRuns.stream().filter(r -> r.contractName().equals(c)).sorted(Comparator.comparingLong(RunRecord::sequence))
                .forEach(r -> out.add(new Point(r.id(), r.sequence(), r.rowCount(), r.attempts(),
                        HealthRow.failed(r))));
        points.setAll(out);
        lag.setAll(lagOverTime(allRuns.stream().filter(r -> r.contractName().equals(c)).toList(), clock.instant()));
        drift.setAll(c == null ? List.of() : driftByContract.getOrDefault(c, List.of()));
        ContractStatus s = statuses.stream().filter(x -> x.contract().equals(c)).findFirst().orElse(null);
        sloMinutes.set(s == null || s.maxDeliveryLag() == null ? null : s.maxDeliveryLag().toMillis() / 60_000.0);
        long failed = out.stream().filter(Point::failed).count();
        long retried = out.stream().filter(p -> p.attempts() > 1).count();
        summary.set(c == null ? "No contracts yet." : String.format("%s: %d run(s), %d failed, %d needed more than one "
                + "attempt%s", c, out.size(), failed, retried, s != null && s.sloBreached()
                ? " · SLO BREACHED: lag " + s.deliveryLag().toMinutes() + " min" : ""));
    }

    /** The sawtooth of the partner's data age: at each delivery, before and after; then now. */
    static List<LagPoint> lagOverTime(List<RunRecord> runs, Instant now) {
        List<RunRecord> done = runs.stream().filter(r -> r.state() == RunState.COMPLETED && r.finishedAt() != null)
                .sorted(Comparator.comparing(RunRecord::finishedAt)).toList();
        List<LagPoint> out = new ArrayList<>();
        RunRecord previous = null;
        for (RunRecord r : done) {
            if (previous != null) {
                out.add(new LagPoint(r.finishedAt(), minutes(previous.plannedAt(), r.finishedAt()), previous.id()));
            }
            out.add(new LagPoint(r.finishedAt(), minutes(r.plannedAt(), r.finishedAt()), r.id()));
            previous = r;
        }
        if (previous != null && now.isAfter(previous.finishedAt())) {
            out.add(new LagPoint(now, minutes(previous.plannedAt(), now), previous.id()));
        }
        return out;
    }

    private static double minutes(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 60_000.0;
    }

    /** Every contract's health, alarming ones first. */
    public ObservableList<HealthRow> health() {
        return health;
    }

    /** The selected contract's delivery lag over time. */
    public ObservableList<LagPoint> lag() {
        return lag;
    }

    /** Shows a contract's charts (a double-click on its health row). */
    public void select(HealthRow row) {
        contract.set(row.contract());
    }

    public void openRunId(String runId) {
        openRun.accept(runId);
    }

    public void open(Point p) {
        openRun.accept(p.runId());
    }

    /** Opens the run a verification pass checked (contract-wide passes have none). */
    public void open(DriftPoint p) {
        if (p.runId() != null) {
            openRun.accept(p.runId());
        }
    }

    /** The contract's verification passes, oldest first. */
    public ObservableList<DriftPoint> drift() {
        return drift;
    }

    public ObservableList<String> contracts() {
        return contracts;
    }

    public ObjectProperty<String> contractProperty() {
        return contract;
    }

    public ObservableList<Point> points() {
        return points;
    }

    public ObjectProperty<Double> sloMinutesProperty() {
        return sloMinutes;
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }
}
