package dev.exportdesk.ui.audit;

import dev.exportdesk.store.AuditEntry;
import dev.exportdesk.ui.Cells;
import dev.exportdesk.ui.Styles;
import dev.exportdesk.ui.ViewLoader;
import dev.exportdesk.ui.WindowState;
import dev.exportdesk.ui.contracts.DiffTable;
import dev.exportdesk.ui.contracts.LineDiff;
import java.time.format.DateTimeFormatter;
import javafx.css.PseudoClass;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.DatePicker;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.util.converter.LocalDateStringConverter;

/** The audit log with filters, a date range and the before/after diff of the selected entry. */
public final class AuditView {
    private static final PseudoClass FAILED = PseudoClass.getPseudoClass(Styles.FAILED);
    private final AuditViewModel model;
    private final WindowState windowState;
    private Parent root;
    @FXML private ComboBox<String> actorBox;
    @FXML private ComboBox<String> actionBox;
    @FXML private TextField textField;
    @FXML private ComboBox<AuditRange.Period> periodBox;
    @FXML private DatePicker fromPicker;
    @FXML private DatePicker toPicker;
    @FXML private Label rangeProblemLabel;
    @FXML private SplitPane split;
    @FXML private TableView<AuditEntry> auditTable;
    @FXML private TableColumn<AuditEntry, String> aAt;
    @FXML private TableColumn<AuditEntry, String> aActor;
    @FXML private TableColumn<AuditEntry, String> aAction;
    @FXML private TableColumn<AuditEntry, String> aSubject;
    @FXML private Label diffSummaryLabel;
    @FXML private TableView<LineDiff.Row> diffTable;
    @FXML private TableColumn<LineDiff.Row, String> beforeColumn;
    @FXML private TableColumn<LineDiff.Row, String> afterColumn;
    @FXML private Label summaryLabel;
    @FXML private Label checkpointLabel;
    @FXML private Label ledgerResultLabel;
    @FXML private Label fingerprintLabel;
    @FXML private Button verifyLedgerButton;
    @FXML private Button contractReportButton;
    private ContractReportView contractReport;

    public AuditView(AuditViewModel model, WindowState windowState) {
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
        windowState.track("audit", split);
        actorBox.setItems(model.actors());
        actorBox.valueProperty().bindBidirectional(model.actorProperty());
        actionBox.setItems(model.actions());
        actionBox.valueProperty().bindBidirectional(model.actionProperty());
        textField.textProperty().bindBidirectional(model.textProperty());
        periodBox.getItems().setAll(AuditRange.Period.values());
        periodBox.valueProperty().bindBidirectional(model.periodProperty());
        // ISO days whatever the desktop's locale, as the contract report dialog and the CLI write them
        fromPicker.setConverter(new LocalDateStringConverter(DateTimeFormatter.ISO_LOCAL_DATE, null));
        toPicker.setConverter(new LocalDateStringConverter(DateTimeFormatter.ISO_LOCAL_DATE, null));
        fromPicker.valueProperty().bindBidirectional(model.fromProperty());
        toPicker.valueProperty().bindBidirectional(model.toProperty());
        rangeProblemLabel.textProperty().bind(model.rangeProblemProperty());
        auditTable.setItems(model.entries());
        Cells.value(aAt, e -> Cells.time(e.at()));
        Cells.value(aActor, AuditEntry::actor);
        Cells.value(aAction, AuditEntry::action);
        Cells.value(aSubject, AuditEntry::subject);
        // names run to 64 characters: a cut one is whole in its tooltip
        Cells.tooltips(aActor);
        Cells.tooltips(aSubject);
        auditTable.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> model.selectedProperty().set(b));
        DiffTable.setUp(diffTable, beforeColumn, afterColumn);
        diffTable.setItems(model.diff().rows());
        diffSummaryLabel.textProperty().bind(model.diff().summaryProperty());
        summaryLabel.textProperty().bind(model.summaryProperty());
        LedgerStatusViewModel ledger = model.ledger();
        checkpointLabel.textProperty().bind(ledger.checkpointProperty());
        ledgerResultLabel.textProperty().bind(ledger.lastVerificationProperty());
        fingerprintLabel.textProperty().bind(ledger.fingerprintProperty());
        ledger.resultProperty().addListener((o, a, r) -> ledgerResultLabel.pseudoClassStateChanged(FAILED,
                r == LedgerStatusViewModel.Result.FAIL));
        verifyLedgerButton.disableProperty().bind(ledger.canVerifyProperty().not().or(ledger.busyProperty()));
        contractReportButton.disableProperty().bind(ledger.canVerifyProperty().not());
    }

    public AuditViewModel model() {
        return model;
    }

    public void focusSearch() {
        textField.requestFocus();
    }

    @FXML private void onRefresh() {
        model.refresh();
    }

    @FXML private void onVerifyLedger() {
        model.ledger().verify();
    }

    @FXML private void onExport() {
        model.exportReport();
    }

    @FXML private void onContractReport() {
        contractReport = new ContractReportView(model.contractReport());
        contractReport.show(root.getScene().getWindow());
    }

    /** The contract report dialog last opened (null before), for tests. */
    public ContractReportView contractReportDialog() {
        return contractReport;
    }
}
