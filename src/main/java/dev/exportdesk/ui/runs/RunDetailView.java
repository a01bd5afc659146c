package dev.exportdesk.ui.runs;

import dev.exportdesk.store.ChunkPageQuery;
import dev.exportdesk.store.ChunkState;
import dev.exportdesk.ui.Cells;
import dev.exportdesk.ui.Styles;
import dev.exportdesk.ui.ViewLoader;
import java.util.ArrayList;
import java.util.List;
import javafx.collections.FXCollections;
import javafx.collections.transformation.SortedList;
import javafx.css.PseudoClass;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;

/** One run's chunks in a virtualised table with filters, sort, search, copy and open location. */
public final class RunDetailView {
    private static final PseudoClass MISMATCH = PseudoClass.getPseudoClass(Styles.MISMATCH);
    private static final PseudoClass FAILED = PseudoClass.getPseudoClass(Styles.FAILED);
    private final RunDetailViewModel model;
    private final Runnable onBack;
    private Parent root;
    @FXML private Label summaryLabel;
    @FXML private Button verifyButton;
    @FXML private Button reportButton;
    @FXML private CheckBox mismatchBox;
    @FXML private ComboBox<String> stateBox;
    @FXML private TextField searchField;
    @FXML private Button copyButton;
    @FXML private TableView<ChunkRow> chunkTable;
    @FXML private TableColumn<ChunkRow, Integer> cSeq;
    @FXML private TableColumn<ChunkRow, String> cState;
    @FXML private TableColumn<ChunkRow, String> cCursor;
    @FXML private TableColumn<ChunkRow, Long> cRows;
    @FXML private TableColumn<ChunkRow, Long> cBytes;
    @FXML private TableColumn<ChunkRow, String> cSha;
    @FXML private TableColumn<ChunkRow, String> cDestSha;
    @FXML private TableColumn<ChunkRow, String> cReceipt;
    @FXML private TableColumn<ChunkRow, Integer> cAttempts;
    @FXML private TableColumn<ChunkRow, String> cCheck;
    @FXML private TableColumn<ChunkRow, String> cCheckedAt;
    @FXML private TableColumn<ChunkRow, String> cFile;
    @FXML private TableColumn<ChunkRow, String> cOutcome;
    @FXML private TableColumn<ChunkRow, String> cDrift;
    @FXML private TextArea detailArea;
    @FXML private Button deepVerifyButton;
    @FXML private TableView<ChunkPageQuery.DifferingKey> keysTable;
    @FXML private TableColumn<ChunkPageQuery.DifferingKey, String> kKey;
    @FXML private TableColumn<ChunkPageQuery.DifferingKey, String> kKind;

    public RunDetailView(RunDetailViewModel model, Runnable onBack) {
        this.model = model;
        this.onBack = onBack;
    }

    public Parent root() {
        if (root == null) {
            root = ViewLoader.load(this);
        }
        return root;
    }

    @FXML
    private void initialize() {
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
        Cells.value(cSeq, ChunkRow::seq);
        Cells.value(cState, ChunkRow::state);
        Cells.value(cCursor, ChunkRow::cursorRange);
        Cells.value(cRows, ChunkRow::rows);
        Cells.value(cBytes, ChunkRow::bytes);
        Cells.value(cSha, c -> c.sha256() == null ? "" : c.sha256());
        Cells.value(cDestSha, ChunkRow::destinationText);
        Cells.value(cReceipt, ChunkRow::receiptText);
        Cells.tooltips(cReceipt); // "REDELIVER — partner computed sha256 …" is longer than the column
        Cells.value(cAttempts, ChunkRow::attempts);
        Cells.value(cCheck, c -> c.check() == null ? "—" : c.check());
        Cells.value(cCheckedAt, c -> Cells.time(c.checkedAt()));
        Cells.value(cFile, ChunkRow::fileName);
        SortedList<ChunkRow> sorted = new SortedList<>(model.chunks());
        sorted.comparatorProperty().bind(chunkTable.comparatorProperty());
        chunkTable.setItems(sorted);
        chunkTable.setRowFactory(t -> new TableRow<>() {
            @Override
            protected void updateItem(ChunkRow c, boolean empty) {
                super.updateItem(c, empty);
                pseudoClassStateChanged(MISMATCH, !empty && c != null && c.mismatch());
                pseudoClassStateChanged(FAILED, !empty && c != null && "FAILED".equals(c.state()));
            }
        });
        Cells.value(cOutcome, ChunkRow::outcome);
        Cells.value(cDrift, ChunkRow::driftCounts);
        Cells.value(kKey, ChunkPageQuery.DifferingKey::rowKey);
        Cells.value(kKind, k -> ChunkRow.kindText(k.kind()));
        keysTable.setItems(model.differingKeys());
        detailArea.textProperty().bind(model.detailProperty());
        deepVerifyButton.disableProperty().bind(model.canVerifyProperty().not().or(model.deepVerifyingProperty()));
        chunkTable.getSelectionModel().selectedItemProperty().addListener((o, a, c) -> model.select(c));
        copyButton.disableProperty().bind(chunkTable.getSelectionModel().selectedItemProperty().isNull());
    }

    public RunDetailViewModel model() {
        return model;
    }

    public TableView<ChunkRow> table() {
        return chunkTable;
    }

    public void focusSearch() {
        searchField.requestFocus();
    }

    @FXML public void onCopy() {
        ChunkRow c = chunkTable.getSelectionModel().getSelectedItem();
        if (c != null) {
            ClipboardContent content = new ClipboardContent();
            content.putString(c.toTsv());
            Clipboard.getSystemClipboard().setContent(content);
        }
    }

    @FXML private void onVerify() {
        model.verify();
    }

    @FXML private void onDeepVerify() {
        model.deepVerify();
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
