package dev.exportdesk.ui.dashboard;

import dev.exportdesk.ui.ViewLoader;
import dev.exportdesk.ui.dashboard.DashboardViewModel.Point;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.fxml.FXML;
import javafx.scene.Cursor;
import javafx.scene.Parent;
import javafx.scene.chart.BarChart;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;

/** Drift & health charts; clicking a point or bar opens that run. */
public final class DashboardView {
    private static final javafx.css.PseudoClass FAILED = javafx.css.PseudoClass.getPseudoClass("failed");
    private final DashboardViewModel model;
    private Parent root;
    @FXML private ComboBox<String> contractBox;
    @FXML private Label summaryLabel;
    @FXML private LineChart<Number, Number> rowsChart;
    @FXML private LineChart<Number, Number> lagChart;
    @FXML private BarChart<String, Number> attemptsChart;
    @FXML private LineChart<Number, Number> driftChart;
    @FXML private Label rowsPlaceholder;
    @FXML private Label lagPlaceholder;
    @FXML private Label attemptsPlaceholder;
    @FXML private Label driftPlaceholder;

    public DashboardView(DashboardViewModel model) {
        this.model = model;
    }

    public Parent root() {
        if (root == null) {
            root = ViewLoader.load(this);
        }
        return root;
    }

    @FXML
    private void initialize() {
        contractBox.setItems(model.contracts());
        contractBox.valueProperty().bindBidirectional(model.contractProperty());
        summaryLabel.textProperty().bind(model.summaryProperty());
        rowsChart.setAnimated(false);
        lagChart.setAnimated(false);
        attemptsChart.setAnimated(false);
        driftChart.setAnimated(false);
        showWhenEmpty(model.points(), rowsChart, rowsPlaceholder);
        showWhenEmpty(model.points(), lagChart, lagPlaceholder);
        showWhenEmpty(model.points(), attemptsChart, attemptsPlaceholder);
        showWhenEmpty(model.drift(), driftChart, driftPlaceholder);
        model.drift().addListener((ListChangeListener<DashboardViewModel.DriftPoint>) c -> redrawDrift());
        model.points().addListener((ListChangeListener<Point>) c -> redraw());
        model.sloMinutesProperty().addListener((o, a, b) -> redraw());
    }

    /** Empty axes around nothing read as a chart of zeros: without data the chart's place says so in words. */
    private static void showWhenEmpty(ObservableList<?> data, XYChart<?, ?> chart, Label placeholder) {
        BooleanBinding empty = Bindings.isEmpty(data);
        chart.visibleProperty().bind(empty.not());
        placeholder.visibleProperty().bind(empty);
    }

    private void redraw() {
        List<Point> points = List.copyOf(model.points());
        XYChart.Series<Number, Number> rows = new XYChart.Series<>();
        rows.setName("rows shipped");
        XYChart.Series<Number, Number> lag = new XYChart.Series<>();
        lag.setName("run duration");
        XYChart.Series<Number, Number> slo = new XYChart.Series<>();
        slo.setName("SLO: max delivery lag");
        XYChart.Series<String, Number> attempts = new XYChart.Series<>();
        attempts.setName("attempts");
        for (Point p : points) {
            rows.getData().add(clickable(new XYChart.Data<>(p.sequence(), p.rows()), p));
            lag.getData().add(clickable(new XYChart.Data<>(p.sequence(), p.lagMinutes()), p));
            attempts.getData().add(clickable(new XYChart.Data<>(String.valueOf(p.sequence()), p.attempts()), p));
        }
        if (!points.isEmpty()) {
            long first = points.get(0).sequence();
            long last = points.get(points.size() - 1).sequence();
            WholeNumberAxis.fit((NumberAxis) rowsChart.getXAxis(), first - 1, last + 1);
            WholeNumberAxis.fit((NumberAxis) lagChart.getXAxis(), first - 1, last + 1);
            WholeNumberAxis.fit((NumberAxis) attemptsChart.getYAxis(), 0,
                    points.stream().mapToLong(Point::attempts).max().orElse(0) + 1);
        }
        Double sloMinutes = model.sloMinutesProperty().get();
        if (sloMinutes != null && !points.isEmpty()) {
            slo.getData().add(new XYChart.Data<>(points.get(0).sequence(), sloMinutes));
            slo.getData().add(new XYChart.Data<>(points.get(points.size() - 1).sequence(), sloMinutes));
        }
        rowsChart.getData().setAll(List.of(rows));
        lagChart.getData().setAll(List.of(lag, slo));
        attemptsChart.getData().setAll(List.of(attempts));
    }

    private void redrawDrift() {
        XYChart.Series<Number, Number> changed = new XYChart.Series<>();
        changed.setName("changed since export");
        XYChart.Series<Number, Number> missing = new XYChart.Series<>();
        missing.setName("missing at source");
        XYChart.Series<Number, Number> late = new XYChart.Series<>();
        late.setName("late arrivals");
        List<DashboardViewModel.DriftPoint> passes = List.copyOf(model.drift());
        WholeNumberAxis.fit((NumberAxis) driftChart.getXAxis(), 0, passes.size() + 1L);
        for (DashboardViewModel.DriftPoint p : passes) {
            changed.getData().add(clickable(new XYChart.Data<>(p.pass(), p.changed()), p, "changed", p.changed()));
            missing.getData().add(clickable(new XYChart.Data<>(p.pass(), p.missing()), p, "missing", p.missing()));
            late.getData().add(clickable(new XYChart.Data<>(p.pass(), p.late()), p, "late", p.late()));
        }
        driftChart.getData().setAll(List.of(changed, missing, late));
    }

    private XYChart.Data<Number, Number> clickable(XYChart.Data<Number, Number> d, DashboardViewModel.DriftPoint p,
                                                   String what, long value) {
        d.nodeProperty().addListener((o, a, node) -> {
            if (node != null) {
                node.setCursor(Cursor.HAND);
                node.setId("drift-" + what + "-" + p.pass());
                Tooltip.install(node, new Tooltip("verification #" + p.pass() + ": " + value + " row(s) " + what
                        + ", " + p.mismatches() + " mismatched chunk(s)" + (p.runId() == null ? ""
                        : " — click to open the run")));
                node.setOnMouseClicked(e -> model.open(p));
            }
        });
        return d;
    }

    private <X> XYChart.Data<X, Number> clickable(XYChart.Data<X, Number> d, Point p) {
        d.nodeProperty().addListener((o, a, node) -> {
            if (node != null) {
                node.setCursor(Cursor.HAND);
                // the chart resets style classes after creating the node: mark it with an id and a pseudo-class
                node.setId("run-point-" + p.sequence());
                node.getProperties().put("runId", p.runId());
                node.pseudoClassStateChanged(FAILED, p.failed());
                Tooltip.install(node, new Tooltip("run #" + p.sequence() + ": " + p.rows() + " rows, "
                        + p.attempts() + " attempt(s)" + (p.failed() ? ", failed" : "") + " — click to open"));
                node.setOnMouseClicked(e -> model.open(p));
            }
        });
        return d;
    }

    public DashboardViewModel model() {
        return model;
    }

    @FXML private void onRefresh() {
        model.refresh();
    }
}
