package dev.exportdesk.ui.contracts;

import dev.exportdesk.store.ContractVersion;
import dev.exportdesk.ui.Styles;
import dev.exportdesk.ui.ViewLoader;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ContentDisplay;
import javafx.scene.control.TableCell;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.text.Text;
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
                setText(empty || v == null ? null : "v" + v.version() + " · " + v.createdBy() + " · " + v.createdAt());
            }
        };
        for (ComboBox<ContractVersion> box : java.util.List.of(leftBox, rightBox)) {
            box.setItems(model.versions());
            box.setCellFactory(cells);
            box.setButtonCell(cells.call(null));
        }
        leftBox.valueProperty().bindBidirectional(model.leftProperty());
        rightBox.valueProperty().bindBidirectional(model.rightProperty());
        leftColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().left()));
        rightColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().right()));
        // the two versions share the width, and a long line wraps within its half instead of being cut off
        diffTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_ALL_COLUMNS);
        leftColumn.setCellFactory(c -> new WrappedLineCell());
        rightColumn.setCellFactory(c -> new WrappedLineCell());
        diffTable.setItems(model.rows());
        diffTable.setRowFactory(t -> new TableRow<>() {
            @Override
            protected void updateItem(LineDiff.Row r, boolean empty) {
                super.updateItem(r, empty);
                getStyleClass().removeAll(Styles.DIFF_ADDED, Styles.DIFF_REMOVED);
                if (!empty && r != null && r.kind() != LineDiff.Kind.SAME) {
                    getStyleClass().add(r.kind() == LineDiff.Kind.REMOVED ? Styles.DIFF_REMOVED : Styles.DIFF_ADDED);
                }
            }
        });
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

    /** A diff line shown whole: a text node wrapped at the column's width, so the row grows to fit it. */
    private static final class WrappedLineCell extends TableCell<LineDiff.Row, String> {
        private final Text text = new Text();

        WrappedLineCell() {
            text.getStyleClass().add(Styles.DIFF_TEXT);
            text.wrappingWidthProperty().bind(widthProperty().subtract(8));
            setContentDisplay(ContentDisplay.GRAPHIC_ONLY);
        }

        @Override
        protected void updateItem(String line, boolean empty) {
            super.updateItem(line, empty);
            text.setText(empty || line == null ? "" : line);
            setGraphic(empty ? null : text);
        }
    }

    @FXML private void onClose() {
        onClose.run();
    }
}
