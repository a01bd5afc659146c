package dev.exportdesk.ui.contracts;

import dev.exportdesk.ui.ViewLoader;
import dev.exportdesk.ui.contracts.ContractEditorViewModel.SchemaColumn;
import dev.exportdesk.ui.contracts.ContractForm.Field;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.MapChangeListener;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Control;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import org.controlsfx.validation.ValidationResult;
import org.controlsfx.validation.ValidationSupport;

/**
 * The contract form. Each field is validated inline by ControlsFX {@link ValidationSupport}
 * with exactly the errors the engine reports for its JSON path (held by the view model).
 */
public final class ContractEditorView {
    private static final Map<Field, String> LABELS = new EnumMap<>(Field.class);

    static {
        LABELS.put(Field.NAME, "Contract name");
        LABELS.put(Field.PARTNER, "Partner");
        LABELS.put(Field.DESCRIPTION, "Description");
        LABELS.put(Field.SOURCE, "Source connection");
        LABELS.put(Field.TABLE, "Table");
        LABELS.put(Field.KEY_COLUMNS, "Key columns");
        LABELS.put(Field.CURSOR_COLUMNS, "Cursor columns");
        LABELS.put(Field.COLUMNS, "Columns (empty = all)");
        LABELS.put(Field.FORMAT, "Format (jsonl, csv)");
        LABELS.put(Field.COMPRESSION, "Compression (none, gzip, zstd)");
        LABELS.put(Field.DESTINATION_PATH, "Destination folder");
        LABELS.put(Field.SCHEDULE, "Schedule interval (e.g. 15m)");
        LABELS.put(Field.MAX_LAG, "Max delivery lag (SLO)");
    }

    private final ContractEditorViewModel model;
    private final Runnable onClose;
    private final ValidationSupport validation = new ValidationSupport();
    @FXML private Label titleLabel;
    @FXML private ProgressIndicator spinner;
    @FXML private GridPane form;
    @FXML private TableView<SchemaColumn> schemaTable;
    @FXML private TableColumn<SchemaColumn, String> colName;
    @FXML private TableColumn<SchemaColumn, String> colType;
    @FXML private TableColumn<SchemaColumn, String> colNullable;
    @FXML private TableColumn<SchemaColumn, String> colKey;
    @FXML private TableColumn<SchemaColumn, String> colCursor;
    @FXML private TextArea jsonArea;
    @FXML private ListView<String> otherErrors;
    @FXML private Label messageLabel;
    @FXML private Label warningLabel;
    @FXML private Button saveButton;
    @FXML private Button schemaButton;
    @FXML private Button testSourceButton;
    @FXML private Button testDestinationButton;

    public ContractEditorView(ContractEditorViewModel model, Runnable onClose) {
        this.model = model;
        this.onClose = onClose;
    }

    public Parent load() {
        return ViewLoader.load(this);
    }

    @FXML
    private void initialize() {
        String name = model.field(Field.NAME).get();
        titleLabel.setText(name.isEmpty() ? "New contract" : "Contract " + name
                + (model.editableProperty().get() ? "" : " (read-only for your role)"));
        int row = 0;
        for (Field f : Field.values()) {
            TextField input = f == Field.SOURCE ? sourceChoice() : new TextField();
            input.setId("field-" + f.name().toLowerCase(Locale.ROOT).replace('_', '-'));
            input.textProperty().bindBidirectional(model.field(f));
            input.editableProperty().bind(model.editableProperty());
            GridPane.setHgrow(input, Priority.ALWAYS);
            form.addRow(row++, new Label(LABELS.get(f)), input);
            validation.registerValidator(input, false, (Control c, String v) ->
                    ValidationResult.fromErrorIf(c, model.fieldErrors().get(f), model.fieldErrors().containsKey(f)));
            input.setTooltip(new Tooltip(f.path()));
        }
        model.fieldErrors().addListener((MapChangeListener<Field, String>) ch -> validation.revalidate());
        colName.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().name()));
        colType.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().type()));
        colNullable.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().nullable() ? "yes" : "no"));
        colKey.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().key() ? "key" : ""));
        colCursor.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().cursorCandidate() ? "✓" : ""));
        schemaTable.setItems(model.schema());
        jsonArea.textProperty().bind(model.jsonProperty());
        otherErrors.setItems(model.otherErrors());
        otherErrors.visibleProperty().bind(javafx.beans.binding.Bindings.isNotEmpty(model.otherErrors()));
        otherErrors.managedProperty().bind(otherErrors.visibleProperty());
        messageLabel.textProperty().bind(model.messageProperty());
        warningLabel.textProperty().bind(model.warningProperty());
        warningLabel.visibleProperty().bind(model.warningProperty().isNotEmpty());
        warningLabel.managedProperty().bind(warningLabel.visibleProperty());
        spinner.visibleProperty().bind(model.busyProperty());
        saveButton.disableProperty().bind(model.editableProperty().not().or(model.validProperty().not())
                .or(model.busyProperty()));
        schemaButton.disableProperty().bind(model.busyProperty());
        testSourceButton.disableProperty().bind(model.busyProperty());
        testDestinationButton.disableProperty().bind(model.busyProperty());
        javafx.application.Platform.runLater(validation::revalidate);
    }

    /**
     * The source is one of the connections administrators defined; the prompt names them as they
     * arrive from the store (an unknown name is the engine's error on this field at save).
     */
    private TextField sourceChoice() {
        TextField input = new TextField();
        model.sourceNames().addListener((javafx.collections.ListChangeListener<String>) ch -> input.setPromptText(
                "one of: " + String.join(", ", model.sourceNames())));
        input.setPromptText("one of: " + String.join(", ", model.sourceNames()));
        return input;
    }

    /** The inline validation state, as ControlsFX shows it. */
    public ValidationSupport validation() {
        return validation;
    }

    @FXML private void onSave() {
        model.save();
    }

    @FXML private void onSchema() {
        model.previewSchema();
    }

    @FXML private void onTestSource() {
        model.testSource();
    }

    @FXML private void onTestDestination() {
        model.testDestination();
    }

    @FXML private void onClose() {
        onClose.run();
    }
}
