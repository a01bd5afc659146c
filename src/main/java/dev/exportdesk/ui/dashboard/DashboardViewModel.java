package dev.exportdesk.ui.dashboard;

import dev.exportdesk.access.GuardedEngine;
import dev.exportdesk.access.RunCancelledException;
import dev.exportdesk.engine.ContractStatus;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.RunState;
import dev.exportdesk.ui.ConsoleContext;
import dev.exportdesk.ui.ErrorText;
import dev.exportdesk.ui.TaskRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * Drift and health per contract from what the engine records today: rows shipped per run, run
 * duration (planned → delivered) against the contract's max delivery lag, attempts and failures.
 * Drift history (issue 5): rows changed since export, missing at source and late arrivals found by
 * each recorded verification pass of the contract.
 */
public final class DashboardViewModel {
    /** One run on the charts; the view keeps the run id on the chart node to open the run on click. */
    public record Point(String runId, long sequence, long rows, double lagMinutes, int attempts, boolean failed) {
    }

    /** One verification pass on the drift chart, numbered in order; clicking it opens the run it checked. */
    public record DriftPoint(int pass, String runId, java.time.Instant at, long changed, long missing, long late,
                             int mismatches) {
    }

    private final GuardedEngine engine;
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
        this.engine = context.engine();
        this.tasks = context.tasks();
        this.openRun = openRun;
        contract.addListener((o, a, b) -> select());
    }

    private record Data(List<ContractStatus> statuses, List<RunRecord> runs,
                        java.util.Map<String, List<DriftPoint>> drift) {
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
            return new Data(st, engine.recentRuns(2_000), history);
        }, d -> {
            statuses = d.statuses();
            allRuns = d.runs();
            driftByContract = d.drift();
            String keep = contract.get();
            contracts.setAll(statuses.stream().map(ContractStatus::contract).toList());
            contract.set(keep != null && contracts.contains(keep) ? keep : contracts.isEmpty() ? null : contracts.get(0));
            select();
        }, e -> summary.set("Could not read runs: " + ErrorText.summary(e)));
    }

    /** Stopped by a problem; a person's Cancel (stored FAILED, resumable) is no failure. */
    private static boolean failed(RunRecord r) {
        return r.state() == RunState.SCHEMA_DRIFT
                || r.state() == RunState.FAILED && !RunCancelledException.describes(r.error());
    }

    private void select() {
        String c = contract.get();
        List<Point> out = new ArrayList<>();
        allRuns.stream().filter(r -> r.contractName().equals(c)).sorted(Comparator.comparingLong(RunRecord::sequence))
                .forEach(r -> out.add(new Point(r.id(), r.sequence(), r.rowCount(),
                        r.finishedAt() == null ? 0 : Duration.between(r.plannedAt(), r.finishedAt()).toMillis() / 60_000.0,
                        r.attempts(), failed(r))));
        points.setAll(out);
        drift.setAll(c == null ? List.of() : driftByContract.getOrDefault(c, List.of()));
        ContractStatus s = statuses.stream().filter(x -> x.contract().equals(c)).findFirst().orElse(null);
        sloMinutes.set(s == null || s.maxDeliveryLag() == null ? null : s.maxDeliveryLag().toMillis() / 60_000.0);
        long failed = out.stream().filter(Point::failed).count();
        long retried = out.stream().filter(p -> p.attempts() > 1).count();
        summary.set(c == null ? "No contracts yet." : String.format("%s: %d run(s), %d failed, %d needed more than one "
                + "attempt%s", c, out.size(), failed, retried, s != null && s.sloBreached()
                ? " · SLO BREACHED: lag " + s.deliveryLag().toMinutes() + " min" : ""));
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
