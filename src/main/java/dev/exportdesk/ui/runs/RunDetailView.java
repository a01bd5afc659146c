package dev.exportdesk.ui.runs;

import dev.exportdesk.store.ChunkPageQuery;
import dev.exportdesk.store.ChunkState;
import dev.exportdesk.ui.Cells;
import dev.exportdesk.ui.LiveRow;
import dev.exportdesk.ui.Styles;
import dev.exportdesk.ui.ViewLoader;
import java.util.ArrayList;
import java.util.List;
import javafx.collections.FXCollections;
import javafx.css.PseudoClass;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;

/** One run's chunks in a virtualised table with filters, sort, search, copy and open location. */
public final class RunDetailView {
    private static final PseudoClass MISMATCH = PseudoClass.getPseudoClass(Styles.MISMATCH);
    private static final PseudoClass FAILED = PseudoClass.getPseudoClass(Styles.FAILED);
    private static final KeyCombination COPY = new KeyCodeCombination(KeyCode.C, KeyCombination.SHORTCUT_DOWN);
    private final RunDetailViewModel model;
    private final Runnable onBack;
    private final String backText;
    private Parent root;
    @FXML private Button backButton;
    @FXML private Label summaryLabel;
    @FXML private Button verifyButton;
    @FXML private Button reportButton;
    @FXML private CheckBox mismatchBox;
    @FXML private ComboBox<String> stateBox;
    @FXML private TextField searchField;
    @FXML private Button copyButton;
    @FXML private TableView<LiveRow<ChunkRow>> chunkTable;
    @FXML private TableColumn<LiveRow<ChunkRow>, Integer> cSeq;
    @FXML private TableColumn<LiveRow<ChunkRow>, String> cState;
    @FXML private TableColumn<LiveRow<ChunkRow>, String> cCursor;
    @FXML private TableColumn<LiveRow<ChunkRow>, Long> cRows;
    @FXML private TableColumn<LiveRow<ChunkRow>, Long> cBytes;
    @FXML private TableColumn<LiveRow<ChunkRow>, String> cSha;
    @FXML private TableColumn<LiveRow<ChunkRow>, String> cDestSha;
    @FXML private TableColumn<LiveRow<ChunkRow>, String> cReceipt;
    @FXML private TableColumn<LiveRow<ChunkRow>, Integer> cAttempts;
    @FXML private TableColumn<LiveRow<ChunkRow>, String> cCheck;
    @FXML private TableColumn<LiveRow<ChunkRow>, String> cCheckedAt;
    @FXML private TableColumn<LiveRow<ChunkRow>, String> cFile;
    @FXML private TableColumn<LiveRow<ChunkRow>, String> cOutcome;
    @FXML private TableColumn<LiveRow<ChunkRow>, String> cDrift;
    @FXML private TableColumn<LiveRow<ChunkRow>, String> cCorrects;
    @FXML private TextArea detailArea;
    @FXML private Button deepVerifyButton;
    @FXML private Button cancelDeepVerifyButton;
    @FXML private TableView<ChunkPageQuery.DifferingKey> keysTable;
    @FXML private TableColumn<ChunkPageQuery.DifferingKey, String> kKey;
    @FXML private TableColumn<ChunkPageQuery.DifferingKey, String> kKind;

    public RunDetailView(RunDetailViewModel model, Runnable onBack) {
        this(model, onBack, null);
    }

    /** {@code backText}: the back button's label when it does something else than return to the runs. */
    public RunDetailView(RunDetailViewModel model, Runnable onBack, String backText) {
        this.model = model;
        this.onBack = onBack;
        this.backText = backText;
    }

    public Parent root() {
        if (root == null) {
            root = ViewLoader.load(this);
        }
        return root;
    }

    @FXML
    private void initialize() {
        if (backText != null) {
            backButton.setText(backText);
        }
        summaryLabel.textProperty().bind(model.summaryProperty());
        mismatchBox.selectedProperty().bindBidirectional(model.mismatchesOnlyProperty());
        List<String> states = new ArrayList<>();
        states.add(RunDetailViewModel.ANY_STATE);
        for (ChunkState s : ChunkState.values()) {
            states.add(s.name());
        }
        stateBox.setItems(FXCollections.observableArrayList(states));
        stateBox.valueProperty().bindBidirectional(model.stateFilterProperty());
        searchField.textProperty().bindBidirectional(model.searchProperty());
        verifyButton.disableProperty().bind(model.canVerifyProperty().not());
        reportButton.disableProperty().bind(model.canVerifyProperty().not());
        Cells.live(cSeq, ChunkRow::seq);
        Cells.live(cState, ChunkRow::state);
        Cells.live(cCursor, ChunkRow::cursorRange);
        Cells.live(cRows, ChunkRow::rows);
        Cells.counts(cRows);
        Cells.live(cBytes, ChunkRow::bytes);
        Cells.counts(cBytes);
        Cells.live(cSha, c -> c.sha256() == null ? "" : c.sha256());
        Cells.live(cDestSha, ChunkRow::destinationText);
        Cells.live(cReceipt, ChunkRow::receiptText);
        Cells.tooltips(cReceipt); // "REDELIVER — partner computed sha256 …" is longer than the column
        Cells.live(cAttempts, ChunkRow::attempts);
        Cells.live(cCheck, c -> c.check() == null ? "—" : c.check());
        Cells.live(cCheckedAt, c -> Cells.time(c.checkedAt()));
        Cells.live(cFile, ChunkRow::fileName);
        // hashes and cursor ranges are wider than their columns: whole in the tooltip, as in the detail pane
        Cells.tooltips(cSha);
        Cells.tooltips(cDestSha);
        Cells.tooltips(cCursor);
        Cells.tooltips(cFile);
        // progress re-reads the run's last chunks; rows that changed are swapped in place (LiveRows)
        Cells.showLive(chunkTable, model.chunks(), ChunkRow::seq);
        chunkTable.setRowFactory(t -> Cells.styledRow((row, c) -> {
            row.pseudoClassStateChanged(MISMATCH, c != null && c.mismatch());
            row.pseudoClassStateChanged(FAILED, c != null && "FAILED".equals(c.state()));
        }));
        Cells.live(cOutcome, ChunkRow::outcome);
        Cells.live(cDrift, ChunkRow::driftCounts);
        Cells.live(cCorrects, ChunkRow::correctsText);
        Cells.tooltips(cCorrects);
        cCorrects.visibleProperty().bind(model.correctionRunProperty()); // an ordinary run corrects nothing
        Cells.wholeHeadings(chunkTable);
        Cells.value(kKey, ChunkPageQuery.DifferingKey::rowKey);
        Cells.value(kKind, k -> ChunkRow.kindText(k.kind()));
        keysTable.setItems(model.differingKeys());
        detailArea.textProperty().bind(model.detailProperty());
        deepVerifyButton.disableProperty().bind(model.canVerifyProperty().not().or(model.deepVerifyingProperty()));
        // shown only while a deep verification runs, so the toolbar keeps its width otherwise
        cancelDeepVerifyButton.visibleProperty().bind(model.deepVerifyingProperty());
        cancelDeepVerifyButton.managedProperty().bind(model.deepVerifyingProperty());
        Cells.selectedValue(chunkTable, model::select);
        copyButton.disableProperty().bind(chunkTable.getSelectionModel().selectedItemProperty().isNull());
        // the button says Ctrl+C: the table answers it (the detail pane and search field copy their own text)
        chunkTable.addEventHandler(KeyEvent.KEY_PRESSED, e -> {
            if (COPY.match(e)) {
                onCopy();
                e.consume();
            }
        });
    }

    public RunDetailViewModel model() {
        return model;
    }

    public TableView<LiveRow<ChunkRow>> table() {
        return chunkTable;
    }

    public void focusSearch() {
        searchField.requestFocus();
    }

    @FXML public void onCopy() {
        LiveRow<ChunkRow> selected = chunkTable.getSelectionModel().getSelectedItem();
        if (selected != null) {
            ChunkRow c = selected.get();
            ClipboardContent content = new ClipboardContent();
            content.putString(c.toTsv());
            Clipboard.getSystemClipboard().setContent(content);
        }
    }

    /** The run's own log in a window beside this one. */
    @FXML public void onLog() {
        RunLogView.open(model.logModel(), root.getScene() == null ? null : root.getScene().getWindow());
    }

    @FXML private void onVerify() {
        model.verify();
    }

    @FXML private void onDeepVerify() {
        model.deepVerify();
    }

    @FXML private void onCancelDeepVerify() {
        model.cancelDeepVerify();
    }

    @FXML private void onReport() {
        model.exportReport();
    }

    @FXML private void onOpenLocation() {
        model.openLocation();
    }

    @FXML public void onBack() {
        onBack.run();
    }
}
