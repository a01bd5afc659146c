package dev.exportdesk.ui.dashboard;

import dev.exportdesk.ui.Cells;
import dev.exportdesk.ui.ViewLoader;
import dev.exportdesk.ui.dashboard.DashboardViewModel.Point;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
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
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;

/** Drift & health charts; clicking a point or bar opens that run. */
public final class DashboardView {
    private static final javafx.css.PseudoClass FAILED = javafx.css.PseudoClass.getPseudoClass("failed");
    private static final DateTimeFormatter TICK = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());
    /** The time axis's labels: as fine as the span shown needs, so ticks minutes apart do not read alike. */
    private DateTimeFormatter tickFormat = TICK;
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
    @FXML private NumberAxis lagTimeAxis;
    @FXML private TableView<HealthRow> healthTable;
    @FXML private TableColumn<HealthRow, String> healthContractColumn;
    @FXML private TableColumn<HealthRow, String> healthPartnerColumn;
    @FXML private TableColumn<HealthRow, String> healthStateColumn;
    @FXML private TableColumn<HealthRow, String> healthLagColumn;
    @FXML private TableColumn<HealthRow, String> healthLastColumn;
    @FXML private TableColumn<HealthRow, Number> healthFailedColumn;
    @FXML private TableColumn<HealthRow, Number> healthReceiptsColumn;

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
        showWhenEmpty(model.lag(), lagChart, lagPlaceholder);
        showWhenEmpty(model.points(), attemptsChart, attemptsPlaceholder);
        showWhenEmpty(model.drift(), driftChart, driftPlaceholder);
        model.drift().addListener((ListChangeListener<DashboardViewModel.DriftPoint>) c -> redrawDrift());
        model.points().addListener((ListChangeListener<Point>) c -> redraw());
        model.lag().addListener((ListChangeListener<DashboardViewModel.LagPoint>) c -> redrawLag());
        lagTimeAxis.setTickLabelFormatter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(Number minutes) {
                return tickFormat.format(Instant.ofEpochSecond(Math.round(minutes.doubleValue() * 60)));
            }

            @Override
            public Number fromString(String text) {
                throw new UnsupportedOperationException("tick labels are not edited");
            }
        });
        initHealthTable();
        model.sloMinutesProperty().addListener((o, a, b) -> redrawLag());
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
        XYChart.Series<String, Number> attempts = new XYChart.Series<>();
        attempts.setName("attempts");
        for (Point p : points) {
            rows.getData().add(clickable(new XYChart.Data<>(p.sequence(), p.rows()), p));
            attempts.getData().add(clickable(new XYChart.Data<>(String.valueOf(p.sequence()), p.attempts()), p));
        }
        if (!points.isEmpty()) {
            long first = points.get(0).sequence();
            long last = points.get(points.size() - 1).sequence();
            WholeNumberAxis.fit((NumberAxis) rowsChart.getXAxis(), first - 1, last + 1);
            WholeNumberAxis.fit((NumberAxis) attemptsChart.getYAxis(), 0,
                    points.stream().mapToLong(Point::attempts).max().orElse(0) + 1);
        }
        rowsChart.getData().setAll(List.of(rows));
        attemptsChart.getData().setAll(List.of(attempts));
    }

    /** Time on the x axis in minutes since the epoch, labelled in local time. */
    private void redrawLag() {
        List<DashboardViewModel.LagPoint> points = List.copyOf(model.lag());
        XYChart.Series<Number, Number> lag = new XYChart.Series<>();
        lag.setName("delivery lag");
        XYChart.Series<Number, Number> slo = new XYChart.Series<>();
        slo.setName("SLO: max delivery lag");
        for (DashboardViewModel.LagPoint p : points) {
            XYChart.Data<Number, Number> d = new XYChart.Data<>(p.at().getEpochSecond() / 60.0, p.minutes());
            d.nodeProperty().addListener((o, a, node) -> {
                if (node != null) {
                    node.setCursor(Cursor.HAND);
                    node.getProperties().put("runId", p.runId());
                    Tooltip.install(node, new Tooltip(String.format("%s: the partner's newest data was %.1f min old"
                            + " — click to open the run that delivered it", TICK.format(p.at()), p.minutes())));
                    node.setOnMouseClicked(e -> model.openRunId(p.runId()));
                }
            });
            lag.getData().add(d);
        }
        if (!points.isEmpty()) {
            long spanMinutes = Duration.between(points.get(0).at(), points.get(points.size() - 1).at()).toMinutes();
            tickFormat = DateTimeFormatter.ofPattern(spanMinutes <= 60 ? "HH:mm:ss" : spanMinutes <= 24 * 60 ? "HH:mm"
                    : "MM-dd HH:mm").withZone(ZoneId.systemDefault());
        }
        Double sloMinutes = model.sloMinutesProperty().get();
        if (sloMinutes != null && !points.isEmpty()) {
            slo.getData().add(new XYChart.Data<>(points.get(0).at().getEpochSecond() / 60.0, sloMinutes));
            slo.getData().add(new XYChart.Data<>(points.get(points.size() - 1).at().getEpochSecond() / 60.0,
                    sloMinutes));
        }
        lagChart.getData().setAll(List.of(lag, slo));
    }

    private void initHealthTable() {
        healthTable.setItems(model.health());
        healthContractColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().contract()));
        healthPartnerColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().partner()));
        healthStateColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().health()));
        healthLagColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(
                Cells.lag(c.getValue().deliveryLag(), c.getValue().maxDeliveryLag())));
        healthLastColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(Cells.time(c.getValue().lastSuccess())));
        healthFailedColumn.setCellValueFactory(c -> new ReadOnlyLongWrapper(c.getValue().failedRecently()));
        healthReceiptsColumn.setCellValueFactory(c -> new ReadOnlyLongWrapper(c.getValue().receiptsOverdue()));
        Cells.tooltips(healthContractColumn);
        Cells.tooltips(healthPartnerColumn);
        Cells.tooltips(healthStateColumn);
        Cells.times(healthLastColumn);
        Cells.counts(healthFailedColumn);
        Cells.counts(healthReceiptsColumn);
        healthTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        healthTable.setRowFactory(t -> {
            TableRow<HealthRow> row = new TableRow<>() {
                @Override
                protected void updateItem(HealthRow item, boolean empty) {
                    super.updateItem(item, empty);
                    pseudoClassStateChanged(FAILED, !empty && item != null && item.alarming());
                    setTooltip(empty || item == null ? null : new Tooltip(tooltip(item)));
                }
            };
            row.setOnMouseClicked(e -> {
                if (e.getClickCount() == 2 && !row.isEmpty()) {
                    model.select(row.getItem());
                }
            });
            return row;
        });
    }

    private static String tooltip(HealthRow h) {
        StringBuilder t = new StringBuilder(h.contract() + ": " + h.health());
        if (h.stalledRun() != null) {
            t.append("\nrun #").append(h.stalledRun().sequence()).append(" has not reported since ")
                    .append(Cells.time(h.stalledRun().heartbeatAt() != null ? h.stalledRun().heartbeatAt()
                            : h.stalledRun().plannedAt())).append(" (Exports: Resume)");
        }
        if (h.nextScheduledAt() != null) {
            t.append("\nnext scheduled run: ").append(Cells.time(h.nextScheduledAt()));
        }
        if (h.slot() != null) {
            t.append("\n").append(h.slot());
        }
        return t.toString();
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
