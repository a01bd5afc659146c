package dev.exportdesk.ui.contracts;

import dev.exportdesk.store.ContractVersion;
import dev.exportdesk.ui.ViewLoader;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.util.Callback;

/** Two contract versions side by side; changed lines highlighted. */
public final class ContractHistoryView {
    private final ContractHistoryViewModel model;
    private final Runnable onClose;
    @FXML private Label titleLabel;
    @FXML private ComboBox<ContractVersion> leftBox;
    @FXML private ComboBox<ContractVersion> rightBox;
    @FXML private TableView<LineDiff.Row> diffTable;
    @FXML private TableColumn<LineDiff.Row, String> leftColumn;
    @FXML private TableColumn<LineDiff.Row, String> rightColumn;
    @FXML private Label summaryLabel;

    public ContractHistoryView(ContractHistoryViewModel model, Runnable onClose) {
        this.model = model;
        this.onClose = onClose;
    }

    public Parent load() {
        return ViewLoader.load(this);
    }

    @FXML
    private void initialize() {
        titleLabel.setText("History of " + model.contract() + " (" + model.versions().size() + " versions)");
        Callback<javafx.scene.control.ListView<ContractVersion>, ListCell<ContractVersion>> cells = l -> new ListCell<>() {
            @Override
            protected void updateItem(ContractVersion v, boolean empty) {
                super.updateItem(v, empty);
                // a version the engine added for columns the source gained (schema_change additive) says so
                setText(empty || v == null ? null : "v" + v.version() + " · " + v.createdBy() + " · " + v.createdAt()
                        + (v.schemaChange() == null ? "" : " · columns added by the engine"));
            }
        };
        for (ComboBox<ContractVersion> box : java.util.List.of(leftBox, rightBox)) {
            box.setItems(model.versions());
            box.setCellFactory(cells);
            box.setButtonCell(cells.call(null));
        }
        leftBox.valueProperty().bindBidirectional(model.leftProperty());
        rightBox.valueProperty().bindBidirectional(model.rightProperty());
        DiffTable.setUp(diffTable, leftColumn, rightColumn);
        diffTable.setItems(model.rows());
        model.rows().addListener((javafx.collections.ListChangeListener<LineDiff.Row>) c -> showSummary());
        showSummary();
    }

    private void showSummary() {
        summaryLabel.setText(model.changedLines() + " line(s) differ");
        for (int i = 0; i < model.rows().size(); i++) {
            if (model.rows().get(i).kind() != LineDiff.Kind.SAME) {
                diffTable.scrollTo(Math.max(0, i - 3));
                return;
            }
        }
    }

    @FXML private void onClose() {
        onClose.run();
    }
}
