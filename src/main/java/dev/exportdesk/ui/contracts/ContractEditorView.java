package dev.exportdesk.ui.contracts;

import dev.exportdesk.ui.Cells;
import dev.exportdesk.ui.Styles;
import dev.exportdesk.ui.ViewLoader;
import dev.exportdesk.ui.contracts.ContractEditorViewModel.PickColumn;
import dev.exportdesk.ui.contracts.ContractForm.Field;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.MapChangeListener;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
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
import javafx.scene.layout.VBox;
import org.controlsfx.validation.ValidationResult;
import org.controlsfx.validation.ValidationSupport;

/**
 * The contract form. Each field is validated inline by ControlsFX {@link ValidationSupport}
 * with exactly the errors the engine reports for its JSON path (held by the view model); the red
 * mark alone says nothing, so the message is also written under the field and in its tooltip.
 */
public final class ContractEditorView {
    private static final Map<Field, String> LABELS = new EnumMap<>(Field.class);
    /** What each field takes, shown while it has no error (the engine's rules, in short). */
    private static final Map<Field, String> HINTS = new EnumMap<>(Field.class);

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
        LABELS.put(Field.DESTINATION, "Named destination");
        LABELS.put(Field.DESTINATION_PATH, "…or destination folder");
        LABELS.put(Field.PATH_TEMPLATE, "Run folder template");
        LABELS.put(Field.CSV_DELIMITER, "CSV delimiter (default ,)");
        LABELS.put(Field.CSV_HEADER, "CSV header row (true, false)");
        LABELS.put(Field.CSV_LINE_ENDING, "CSV line ending (crlf, lf)");
        LABELS.put(Field.CSV_QUOTE, "CSV quote (default \")");
        LABELS.put(Field.CSV_ESCAPE, "CSV escape (default \")");
        LABELS.put(Field.CSV_NULL, "CSV NULL spelling (default empty)");
        LABELS.put(Field.SCHEDULE, "Schedule interval (e.g. 15m)");
        LABELS.put(Field.SCHEDULE_CRON, "…or cron (e.g. 0 */2 * * *)");
        LABELS.put(Field.SCHEDULE_ZONE, "Cron time zone (default UTC)");
        LABELS.put(Field.MAX_LAG, "Max delivery lag (SLO)");
        String safeName = "1-64 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit";
        HINTS.put(Field.NAME, "Required: " + safeName + ", e.g. orders-for-bob");
        HINTS.put(Field.PARTNER, "Required: " + safeName + ", e.g. bob");
        HINTS.put(Field.DESCRIPTION, "Optional free text, up to 4000 characters");
        HINTS.put(Field.SOURCE, "Required: the name of a source connection an administrator defined");
        HINTS.put(Field.TABLE, "Required: the table to read, optionally schema-qualified (public.orders)");
        HINTS.put(Field.KEY_COLUMNS, "Required: the columns that identify a row, comma-separated");
        HINTS.put(Field.CURSOR_COLUMNS, "Optional: columns that grow with each change (e.g. updated_at), "
                + "comma-separated; not a key column");
        HINTS.put(Field.COLUMNS, "Optional: the columns to export, comma-separated; must include the key "
                + "and cursor columns");
        HINTS.put(Field.FORMAT, "jsonl or csv (default jsonl)");
        HINTS.put(Field.COMPRESSION, "none, gzip or zstd (default zstd)");
        HINTS.put(Field.DESTINATION, "A destination an administrator defined (Destinations screen); each run "
                + "sends where it points then. Empty: the folder below");
        HINTS.put(Field.DESTINATION_PATH, "Without a named destination: the folder the partner's chunks are written to");
        HINTS.put(Field.PATH_TEMPLATE, "Optional: each run's folder under the "
                + "destination, e.g. {partner}/{yyyy}/{mm}/{contract}-{sequence}; must hold {contract} and {sequence} "
                + "(default {contract}/run-{sequence})");
        HINTS.put(Field.CSV_DELIMITER, "Optional, CSV only: one character such as ; or |");
        HINTS.put(Field.CSV_HEADER, "Optional, CSV only: false for no header row (default true)");
        HINTS.put(Field.CSV_LINE_ENDING, "Optional, CSV only: crlf (default) or lf");
        HINTS.put(Field.CSV_QUOTE, "Optional, CSV only: the one character that quotes a value, e.g. ' (default \")");
        HINTS.put(Field.CSV_ESCAPE, "Optional, CSV only: the one character before a quote inside a quoted value, "
                + "e.g. \\ (default: the quote doubled)");
        HINTS.put(Field.CSV_NULL, "Optional, CSV only: how a NULL is spelled, e.g. \\N or NULL (default: an empty "
                + "unquoted value; an empty string is then written quoted)");
        HINTS.put(Field.SCHEDULE, "Optional: how often to export, 1m to 31d (e.g. 15m, 1h); or give a cron "
                + "schedule below, not both");
        HINTS.put(Field.SCHEDULE_CRON, "Optional: when to export, as five cron fields: minute hour day-of-month "
                + "month day-of-week (e.g. 0 */2 * * * is every two hours at :00); instead of an interval");
        HINTS.put(Field.SCHEDULE_ZONE, "Optional, with a cron schedule: the time zone its times are read in, "
                + "e.g. Europe/Berlin (default UTC); daylight-saving changes keep the local time");
        HINTS.put(Field.MAX_LAG, "Optional: the longest a change may wait before delivery (e.g. 1h)");
    }

    private final ContractEditorViewModel model;
    private final Runnable onClose;
    private final ValidationSupport validation = new ValidationSupport();
    @FXML private Label titleLabel;
    @FXML private ProgressIndicator spinner;
    @FXML private GridPane form;
    @FXML private ComboBox<String> tableBox;
    @FXML private Button tablesButton;
    @FXML private Button columnsButton;
    @FXML private TableView<PickColumn> schemaTable;
    @FXML private TableColumn<PickColumn, String> colName;
    @FXML private TableColumn<PickColumn, String> colType;
    @FXML private TableColumn<PickColumn, String> colNullable;
    @FXML private TableColumn<PickColumn, String> colPrimary;
    @FXML private TableColumn<PickColumn, String> colExport;
    @FXML private TableColumn<PickColumn, String> colKey;
    @FXML private TableColumn<PickColumn, String> colCursor;
    @FXML private TableColumn<PickColumn, String> colWhyNot;
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
        titleLabel.textProperty().bind(model.titleProperty());
        int row = 0;
        for (Field f : Field.values()) {
            ComboBox<String> picker = f == Field.DESTINATION ? destinationPicker() : null;
            TextField input = f == Field.SOURCE ? choice(model.sourceNames())
                    : picker != null ? picker.getEditor() : new TextField();
            input.setId("field-" + f.name().toLowerCase(Locale.ROOT).replace('_', '-'));
            input.textProperty().bindBidirectional(model.field(f));
            input.editableProperty().bind(model.editableProperty());
            StringBinding error = Bindings.createStringBinding(() -> model.fieldErrors().getOrDefault(f, ""),
                    model.fieldErrors());
            VBox cell = new VBox(2, picker != null ? picker : input, errorLabel(input.getId(), error));
            GridPane.setHgrow(cell, Priority.ALWAYS);
            form.addRow(row++, new Label(LABELS.get(f)), cell);
            validation.registerValidator(input, false, (Control c, String v) ->
                    ValidationResult.fromErrorIf(c, model.fieldErrors().get(f), model.fieldErrors().containsKey(f)));
            input.setTooltip(tooltip(error, HINTS.get(f) + " (" + f.path() + ")"));
        }
        model.fieldErrors().addListener((MapChangeListener<Field, String>) ch -> validation.revalidate());
        initColumnPicker();
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
        tablesButton.disableProperty().bind(model.busyProperty().or(model.editableProperty().not()));
        columnsButton.disableProperty().bind(model.busyProperty().or(model.editableProperty().not()));
        testSourceButton.disableProperty().bind(model.busyProperty());
        testDestinationButton.disableProperty().bind(model.busyProperty());
        javafx.application.Platform.runLater(validation::revalidate);
    }

    /** The engine's message in words under its field, so a greyed-out Save says why without hovering. */
    private static Label errorLabel(String fieldId, StringBinding error) {
        Label label = new Label();
        label.setId(fieldId + "-error");
        label.getStyleClass().add(Styles.FIELD_ERROR);
        label.setWrapText(true);
        label.setMinWidth(0);
        label.textProperty().bind(error);
        label.visibleProperty().bind(error.isNotEmpty());
        label.managedProperty().bind(label.visibleProperty());
        return label;
    }

    /** The field's error while it has one, otherwise what the field takes. */
    private static Tooltip tooltip(StringBinding error, String hint) {
        Tooltip tip = new Tooltip();
        tip.setWrapText(true);
        tip.setMaxWidth(Cells.TOOLTIP_WIDTH);
        tip.textProperty().bind(Bindings.when(error.isEmpty()).then(hint).otherwise(error));
        return tip;
    }

    /**
     * The named destinations in a drop-down whose text is the form's field (typed or picked; empty
     * keeps the inline destination); read-only users cannot pick either.
     */
    private ComboBox<String> destinationPicker() {
        ComboBox<String> box = new ComboBox<>(model.destinationNames());
        box.setEditable(true);
        box.setMaxWidth(Double.MAX_VALUE);
        box.setId("destination-picker");
        box.setPromptText("a named destination, or empty for the folder below");
        box.disableProperty().bind(model.editableProperty().not());
        return box;
    }

    /**
     * The source is one of the connections administrators defined; the prompt names them
     * as they arrive from the store (an unknown name is the engine's error on this field at save).
     */
    private static TextField choice(javafx.collections.ObservableList<String> names) {
        TextField input = new TextField();
        names.addListener((javafx.collections.ListChangeListener<String>) ch -> input.setPromptText(
                "one of: " + String.join(", ", names)));
        input.setPromptText("one of: " + String.join(", ", names));
        return input;
    }

    /**
     * The table picker and the column picker: check boxes write the form's column, key and cursor
     * fields (and show what those fields say when typed), so the form, the JSON and the picker agree.
     */
    private void initColumnPicker() {
        tableBox.setItems(model.tables());
        tableBox.setId("table-picker");
        tableBox.valueProperty().bindBidirectional(model.field(Field.TABLE));
        tableBox.disableProperty().bind(model.editableProperty().not());
        tableBox.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            if (b != null && model.tables().contains(b)) {
                model.loadColumns();
            }
        });
        tableBox.setOnShowing(e -> {
            if (model.tables().isEmpty()) {
                model.loadTables();
            }
        });
        colName.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().name()));
        colType.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().type()));
        colNullable.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().nullable() ? "yes" : "no"));
        colPrimary.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().primaryKey() ? "yes" : ""));
        colWhyNot.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().orderProblem() != null
                ? "neither: " + c.getValue().orderProblem()
                : c.getValue().cursorCandidate() ? "key or cursor" : "key (not a cursor: not a date/time or number)"));
        Cells.tooltips(colWhyNot);
        Cells.tooltips(colName);
        checkBoxes(colExport, "export", model::exported, model::setExported);
        checkBoxes(colKey, "key", model::key, model::setKey);
        checkBoxes(colCursor, "cursor", model::cursor, model::setCursor);
        schemaTable.setItems(model.schema());
        for (Field f : new Field[] {Field.COLUMNS, Field.KEY_COLUMNS, Field.CURSOR_COLUMNS}) {
            model.field(f).addListener((o, a, b) -> schemaTable.refresh());
        }
    }

    private void checkBoxes(TableColumn<PickColumn, String> column, String what,
                            java.util.function.Predicate<String> checked,
                            java.util.function.BiConsumer<String, Boolean> set) {
        column.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().name()));
        column.setCellFactory(c -> new javafx.scene.control.TableCell<>() {
            private final CheckBox box = new CheckBox();

            {
                box.setOnAction(e -> {
                    if (getItem() != null) {
                        set.accept(getItem(), box.isSelected());
                        getTableView().refresh();
                    }
                });
                box.disableProperty().bind(model.editableProperty().not());
            }

            @Override
            protected void updateItem(String name, boolean empty) {
                super.updateItem(name, empty);
                if (empty || name == null) {
                    setGraphic(null);
                    return;
                }
                box.setId(what + "-" + name);
                box.setSelected(checked.test(name));
                setGraphic(box);
            }
        });
    }

    /** The inline validation state, as ControlsFX shows it. */
    public ContractEditorViewModel model() {
        return model;
    }

    public ValidationSupport validation() {
        return validation;
    }

    @FXML private void onSave() {
        model.save();
    }

    @FXML private void onSchema() {
        model.previewSchema();
    }

    @FXML private void onListTables() {
        model.loadTables();
    }

    @FXML private void onLoadColumns() {
        model.loadColumns();
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
