package dev.exportdesk.ui.runs;

import dev.exportdesk.engine.status.ContractStatus;
import dev.exportdesk.ui.Cells;
import dev.exportdesk.ui.FxTaskRunner;
import dev.exportdesk.ui.LiveRow;
import dev.exportdesk.ui.Styles;
import dev.exportdesk.ui.ViewLoader;
import dev.exportdesk.ui.WindowState;
import java.util.function.Consumer;
import javafx.beans.binding.Bindings;
import javafx.concurrent.Task;
import javafx.css.PseudoClass;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import org.controlsfx.control.TaskProgressView;

/**
 * Exports: schedule, running tasks (ControlsFX TaskProgressView), runs table with stalled runs
 * marked, Resume, Correct and Check receipt.
 */
public final class ExportsView {
    private static final PseudoClass STALLED = PseudoClass.getPseudoClass(Styles.STALLED);
    private static final PseudoClass FAILED = PseudoClass.getPseudoClass(Styles.FAILED);
    private static final PseudoClass CANCELLED = PseudoClass.getPseudoClass(Styles.CANCELLED);
    private static final KeyCombination COPY = new KeyCodeCombination(KeyCode.C, KeyCombination.SHORTCUT_DOWN);
    private final ExportsViewModel model;
    private final FxTaskRunner tasks;
    private final WindowState windowState;
    private final Consumer<String> openRunInWindow;
    private final Consumer<String> openRun;
    private Parent root;
    @FXML private Button runButton;
    @FXML private Button resumeButton;
    @FXML private Button correctButton;
    @FXML private Button cancelButton;
    @FXML private Button receiptButton;
    @FXML private Button openButton;
    @FXML private Button windowButton;
    @FXML private Button pauseButton;
    @FXML private Button enableButton;
    @FXML private Button resyncButton;
    @FXML private Button dropSlotButton;
    @FXML private Label scheduleDetail;
    @FXML private Label messageLabel;
    @FXML private SplitPane split;
    @FXML private SplitPane topSplit;
    @FXML private TableView<ContractStatus> scheduleTable;
    @FXML private TableColumn<ContractStatus, String> sContract;
    @FXML private TableColumn<ContractStatus, String> sPartner;
    @FXML private TableColumn<ContractStatus, String> sLast;
    @FXML private TableColumn<ContractStatus, String> sNext;
    @FXML private TableColumn<ContractStatus, String> sLag;
    @FXML private TaskProgressView<Task<?>> taskView;
    @FXML private TableView<LiveRow<RunRow>> runsTable;
    @FXML private TableColumn<LiveRow<RunRow>, String> rContract;
    @FXML private TableColumn<LiveRow<RunRow>, Long> rSeq;
    @FXML private TableColumn<LiveRow<RunRow>, String> rStarted;
    @FXML private TableColumn<LiveRow<RunRow>, String> rState;
    @FXML private TableColumn<LiveRow<RunRow>, Long> rRows;
    @FXML private TableColumn<LiveRow<RunRow>, Integer> rChunks;
    @FXML private TableColumn<LiveRow<RunRow>, String> rLag;
    @FXML private TableColumn<LiveRow<RunRow>, Integer> rAttempts;
    @FXML private TableColumn<LiveRow<RunRow>, String> rError;

    public ExportsView(ExportsViewModel model, FxTaskRunner tasks, WindowState windowState, Consumer<String> openRun,
                       Consumer<String> openRunInWindow) {
        this.model = model;
        this.tasks = tasks;
        this.windowState = windowState;
        this.openRunInWindow = openRunInWindow;
        this.openRun = openRun;
    }

    public Parent root() {
        if (root == null) {
            root = ViewLoader.load(this);
        }
        return root;
    }

    @FXML
    private void initialize() {
        windowState.track("exports", split);
        windowState.track("exports.top", topSplit);
        Bindings.bindContent(taskView.getTasks(), tasks.visibleTasks());
        scheduleTable.setItems(model.schedule());
        Cells.value(sContract, ContractStatus::contract);
        Cells.value(sPartner, ContractStatus::partner);
        // contract and partner names run to 64 characters: a cut one is whole in its tooltip
        Cells.tooltips(sContract);
        Cells.tooltips(sPartner);
        Cells.value(sLast, s -> s.lastRun() == null ? "never" : "#" + s.lastRun().sequence() + " "
                + RunRow.stateName(s.lastRun()));
        Cells.value(sNext, ScheduleWords::nextStart);
        Cells.times(sNext);
        sNext.setCellFactory(c -> new ScheduleCell());
        Cells.value(sLag, s -> Cells.lag(s.deliveryLag(), s.maxDeliveryLag()) + (s.sloBreached() ? " ⚠" : ""));
        scheduleTable.getSelectionModel().selectedItemProperty().addListener((o, a, b) ->
                model.selectedContractProperty().set(b));
        // each progress tick replaces the running run's row: swapped in place (LiveRows)
        Cells.showLive(runsTable, model.runs(), r -> r.run().id());
        Cells.live(rContract, r -> r.run().contractName());
        Cells.tooltips(rContract);
        Cells.live(rSeq, r -> r.run().sequence());
        Cells.live(rStarted, r -> Cells.time(r.run().plannedAt()));
        Cells.times(rStarted);
        Cells.live(rState, RunRow::stateText);
        Cells.live(rRows, r -> r.run().rowCount());
        Cells.counts(rRows);
        Cells.live(rChunks, r -> r.run().chunkCount());
        Cells.counts(rChunks);
        Cells.live(rLag, r -> Cells.duration(r.lag()));
        Cells.live(rAttempts, r -> r.run().attempts());
        Cells.live(rError, r -> r.run().error() == null ? "" : r.run().error());
        // a reason is longer than its column: whole in the tooltip, and with its causes one click away
        Cells.tooltips(rError, "Details…", r -> model.showProblem(r.get().run()));
        runsTable.setRowFactory(t -> {
            TableRow<LiveRow<RunRow>> row = Cells.styledRow((r, run) -> {
                r.pseudoClassStateChanged(STALLED, run != null && run.needsAttention());
                r.pseudoClassStateChanged(FAILED, run != null && run.failed());
                r.pseudoClassStateChanged(CANCELLED, run != null && !run.running() && run.cancelled());
            });
            row.setOnMouseClicked(e -> {
                if (e.getClickCount() == 2 && !row.isEmpty()) {
                    openRun.accept(row.getItem().get().run().id());
                }
            });
            return row;
        });
        Cells.selectedValue(runsTable, model.selectedRunProperty()::set);
        runsTable.setOnKeyPressed(e -> {
            if (COPY.match(e)) {
                copySelectedRun();
            } else if (e.getCode() == KeyCode.ENTER && e.isShiftDown()) {
                onOpenInWindow();
            } else if (e.getCode() == KeyCode.ENTER) {
                onOpen();
            }
        });
        scheduleDetail.textProperty().bind(Bindings.createStringBinding(() -> ScheduleWords.detail(
                model.selectedContractProperty().get()), model.selectedContractProperty()));
        javafx.scene.control.Tooltip detailTip = new javafx.scene.control.Tooltip();
        detailTip.textProperty().bind(scheduleDetail.textProperty());
        detailTip.setWrapText(true);
        detailTip.setMaxWidth(Cells.TOOLTIP_WIDTH);
        scheduleDetail.setTooltip(detailTip);
        pauseButton.disableProperty().bind(Bindings.createBooleanBinding(() -> !model.canControlScheduleProperty()
                .get() || model.selectedContractProperty().get() == null || model.selectedContractProperty().get()
                .paused(), model.canControlScheduleProperty(), model.selectedContractProperty()));
        enableButton.disableProperty().bind(Bindings.createBooleanBinding(() -> !model.canControlScheduleProperty()
                .get() || model.selectedContractProperty().get() == null || !model.selectedContractProperty().get()
                .paused(), model.canControlScheduleProperty(), model.selectedContractProperty()));
        resyncButton.disableProperty().bind(model.canOperateProperty().not()
                .or(model.selectedContractProperty().isNull()));
        dropSlotButton.disableProperty().bind(model.canOperateProperty().not()
                .or(model.selectedContractProperty().isNull()));
        messageLabel.textProperty().bind(model.messageProperty());
        runButton.disableProperty().bind(model.canOperateProperty().not()
                .or(model.selectedContractProperty().isNull()));
        resumeButton.disableProperty().bind(Bindings.createBooleanBinding(() -> !model.canOperateProperty().get()
                || model.selectedRunProperty().get() == null || !model.selectedRunProperty().get().resumable(),
                model.canOperateProperty(), model.selectedRunProperty()));
        correctButton.disableProperty().bind(model.correctableProperty().not());
        if (model.teamMode()) {
            showTeamMode();
        }
        receiptButton.disableProperty().bind(model.receiptCheckableProperty().not());
        openButton.disableProperty().bind(model.selectedRunProperty().isNull());
        windowButton.disableProperty().bind(model.selectedRunProperty().isNull());
    }

    /** Workers execute the runs: Cancel moves to the runs table (there are no tasks here to cancel). */
    private void showTeamMode() {
        cancelButton.setVisible(true);
        cancelButton.setManaged(true);
        cancelButton.disableProperty().bind(Bindings.createBooleanBinding(() -> !model.canOperateProperty().get()
                || model.selectedRunProperty().get() == null || model.selectedRunProperty().get().run().state()
                .finished(), model.canOperateProperty(), model.selectedRunProperty()));
        // a re-sync plans its run in the shared store and asks the workers to run it; slots belong to the workers
        dropSlotButton.setVisible(false);
        dropSlotButton.setManaged(false);
    }

    public ExportsViewModel model() {
        return model;
    }

    /** The Next start cell, with the contract's schedule in words as its tooltip (who paused it, when and why). */
    private static final class ScheduleCell extends javafx.scene.control.TableCell<ContractStatus, String> {
        private final javafx.scene.control.Tooltip tip = new javafx.scene.control.Tooltip();

        ScheduleCell() {
            tip.setWrapText(true);
            tip.setMaxWidth(Cells.TOOLTIP_WIDTH);
        }

        @Override
        protected void updateItem(String item, boolean empty) {
            super.updateItem(item, empty);
            ContractStatus s = empty || getTableRow() == null ? null : getTableRow().getItem();
            setText(empty ? null : item);
            if (s == null) {
                setTooltip(null);
                return;
            }
            tip.setText(ScheduleWords.detail(s));
            setTooltip(tip);
        }
    }

    /** Ctrl+C in the runs table: the selected run as tab-separated text, its whole problem included. */
    private void copySelectedRun() {
        RunRow r = model.selectedRunProperty().get();
        if (r != null) {
            ClipboardContent content = new ClipboardContent();
            content.putString(r.toTsv(Cells.time(r.run().plannedAt()), Cells.duration(r.lag())));
            Clipboard.getSystemClipboard().setContent(content);
        }
    }

    @FXML public void onRun() {
        model.runSelected();
    }

    @FXML private void onResume() {
        model.resumeSelected();
    }

    @FXML private void onCancel() {
        model.cancelSelected();
    }

    @FXML private void onCorrect() {
        model.correctSelected();
    }

    @FXML private void onCheckReceipt() {
        model.checkReceiptSelected();
    }

    @FXML private void onOpen() {
        RunRow r = model.selectedRunProperty().get();
        if (r != null) {
            openRun.accept(r.run().id());
        }
    }

    @FXML private void onOpenInWindow() {
        RunRow r = model.selectedRunProperty().get();
        if (r != null) {
            openRunInWindow.accept(r.run().id());
        }
    }

    @FXML private void onResync() {
        model.resyncSelected();
    }

    @FXML private void onDropSlot() {
        model.dropSlotSelected();
    }

    @FXML private void onPause() {
        model.pauseSelected();
    }

    @FXML private void onEnable() {
        model.enableSelected();
    }

    @FXML private void onRefresh() {
        model.refresh();
    }
}
