package dev.exportdesk.ui.workers;

import java.util.List;

import dev.exportdesk.store.LeaseTakeover;
import dev.exportdesk.store.RunRequest;
import dev.exportdesk.text.Text;
import dev.exportdesk.ui.Cells;
import dev.exportdesk.ui.Styles;
import dev.exportdesk.ui.ViewLoader;
import javafx.css.PseudoClass;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;

/**
 * Workers (team mode): the workers with heartbeat and holdings, silent ones marked; below, lease
 * takeovers and recent requests. Read-only. Text from the store is made safe before it is shown.
 */
public final class WorkersView {
    private static final PseudoClass STALLED = PseudoClass.getPseudoClass(Styles.STALLED);
    private final WorkersViewModel model;
    private Parent root;
    @FXML private Label messageLabel;
    @FXML private TableView<WorkerRow> workersTable;
    @FXML private TableColumn<WorkerRow, String> wName;
    @FXML private TableColumn<WorkerRow, String> wHost;
    @FXML private TableColumn<WorkerRow, String> wHeartbeat;
    @FXML private TableColumn<WorkerRow, String> wState;
    @FXML private TableColumn<WorkerRow, String> wHolds;
    @FXML private TableView<LeaseTakeover> takeoversTable;
    @FXML private TableColumn<LeaseTakeover, String> tRun;
    @FXML private TableColumn<LeaseTakeover, String> tFrom;
    @FXML private TableColumn<LeaseTakeover, String> tTo;
    @FXML private TableColumn<LeaseTakeover, String> tAt;
    @FXML private TableView<RunRequest> requestsTable;
    @FXML private TableColumn<RunRequest, String> qKind;
    @FXML private TableColumn<RunRequest, String> qContract;
    @FXML private TableColumn<RunRequest, String> qBy;
    @FXML private TableColumn<RunRequest, String> qAt;
    @FXML private TableColumn<RunRequest, String> qState;
    @FXML private TableColumn<RunRequest, String> qOutcome;

    public WorkersView(WorkersViewModel model) {
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
        messageLabel.textProperty().bind(model.messageProperty());
        workersTable.setItems(model.workers());
        Cells.value(wName, WorkerRow::name);
        Cells.value(wHost, WorkerRow::host);
        Cells.value(wHeartbeat, WorkerRow::heartbeat);
        Cells.value(wState, WorkerRow::state);
        Cells.value(wHolds, WorkerRow::holds);
        List.of(wName, wHost, wHolds).forEach(Cells::tooltips);
        workersTable.setRowFactory(t -> new TableRow<>() {
            @Override
            protected void updateItem(WorkerRow item, boolean empty) {
                super.updateItem(item, empty);
                pseudoClassStateChanged(STALLED, !empty && item != null && item.silent());
            }
        });
        takeoversTable.setItems(model.takeovers());
        Cells.value(tRun, t -> Text.safe(t.contract()) + " #" + t.sequence() + " (epoch " + t.epoch() + ")");
        Cells.value(tFrom, t -> t.from() == null ? "—" : Text.safe(t.from()));
        Cells.value(tTo, t -> Text.safe(t.to()));
        Cells.value(tAt, t -> Cells.time(t.at()));
        Cells.times(tAt);
        List.of(tRun, tFrom, tTo).forEach(Cells::tooltips);
        requestsTable.setItems(model.requests());
        Cells.value(qKind, r -> r.kind().name().toLowerCase(java.util.Locale.ROOT));
        Cells.value(qContract, r -> Text.safe(r.contract()));
        Cells.value(qBy, r -> Text.safe(r.requestedBy()));
        Cells.value(qAt, r -> Cells.time(r.requestedAt()));
        Cells.times(qAt);
        Cells.value(qState, r -> r.state().name().toLowerCase(java.util.Locale.ROOT)
                + (r.takenBy() == null ? "" : " (" + Text.safe(r.takenBy()) + ")"));
        Cells.value(qOutcome, r -> r.outcome() == null ? "" : Text.safe(r.outcome()));
        List.of(qContract, qBy, qState, qOutcome).forEach(Cells::tooltips);
        // on a wide screen worker names were cut beside empty space; times and states stop at their maxWidth
        List.of(workersTable, takeoversTable, requestsTable).forEach(Cells::fillWhenWide);
    }

    public WorkersViewModel model() {
        return model;
    }

    @FXML private void onRefresh() {
        model.refresh();
    }
}
