package dev.exportdesk.ui.contracts;

import dev.exportdesk.store.ContractRecord;
import dev.exportdesk.ui.ViewLoader;
import dev.exportdesk.ui.WindowState;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.OverrunStyle;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.StackPane;

/** Partners & contracts: list with search on the left, editor or history on the right. */
public final class ContractsView {
    private final ContractsViewModel model;
    private final WindowState windowState;
    private Parent root;
    private ContractEditorView editorView;
    @FXML private SplitPane split;
    @FXML private TextField searchField;
    @FXML private ComboBox<ContractsViewModel.PartnerRow> partnerBox;
    @FXML private ListView<ContractRecord> contractList;
    @FXML private Button newButton;
    @FXML private Button editButton;
    @FXML private Button historyButton;
    @FXML private Button importButton;
    @FXML private Button exportButton;
    @FXML private Label messageLabel;
    @FXML private StackPane detail;
    @FXML private Label placeholder;

    public ContractsView(ContractsViewModel model, WindowState windowState) {
        this.model = model;
        this.windowState = windowState;
    }

    public Parent root() {
        if (root == null) {
            root = ViewLoader.load(this);
        }
        return root;
    }

    @FXML
    private void initialize() {
        windowState.track("contracts", split);
        searchField.textProperty().bindBidirectional(model.searchProperty());
        partnerBox.setItems(model.partners());
        partnerBox.valueProperty().bindBidirectional(model.partnerProperty());
        contractList.setItems(model.contracts());
        contractList.setCellFactory(l -> new ContractCell());
        contractList.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> model.selectedProperty().set(b));
        model.selectedProperty().addListener((o, a, b) -> contractList.getSelectionModel().select(b));
        contractList.setOnMouseClicked(e -> {
            if (e.getClickCount() == 2) {
                model.editSelected();
            }
        });
        newButton.disableProperty().bind(model.canEditProperty().not());
        importButton.disableProperty().bind(model.canEditProperty().not());
        var none = contractList.getSelectionModel().selectedItemProperty().isNull();
        editButton.disableProperty().bind(none);
        historyButton.disableProperty().bind(none);
        exportButton.disableProperty().bind(none);
        messageLabel.textProperty().bind(model.messageProperty());
        model.editorProperty().addListener((o, a, vm) -> {
            editorView = vm == null ? null : new ContractEditorView(vm, model::closeEditor);
            showDetail(editorView == null ? null : editorView.load());
        });
        model.historyProperty().addListener((o, a, vm) -> showDetail(vm == null ? null
                : new ContractHistoryView(vm, model::closeHistory).load()));
    }

    private void showDetail(Parent node) {
        detail.getChildren().setAll(node == null ? placeholder : node);
    }

    public void focusSearch() {
        searchField.requestFocus();
    }

    /** The open editor, if any. */
    public ContractEditorView editor() {
        return editorView;
    }

    public ContractsViewModel model() {
        return model;
    }

    @FXML private void onNew() {
        model.newContract();
    }

    @FXML private void onEdit() {
        model.editSelected();
    }

    @FXML private void onHistory() {
        model.showHistory();
    }

    @FXML private void onImport() {
        model.importJson();
    }

    @FXML private void onExport() {
        model.exportSelected();
    }

    /**
     * A contract as "name → partner vN". A cell no wider than the list: a long name loses its
     * middle ("...") instead of pushing a sideways scroll bar under the list, so the start of the name
     * and the partner and version stay in view (the whole line is in the tooltip).
     */
    private static final class ContractCell extends ListCell<ContractRecord> {
        private final Tooltip whole = new Tooltip();

        ContractCell() {
            setPrefWidth(0);
            setTextOverrun(OverrunStyle.CENTER_ELLIPSIS);
        }

        @Override
        protected void updateItem(ContractRecord r, boolean empty) {
            super.updateItem(r, empty);
            setText(empty || r == null ? null : r.name() + "   → " + r.partner() + "   v" + r.currentVersion());
            whole.setText(getText());
            setTooltip(getText() == null ? null : whole);
        }
    }
}
