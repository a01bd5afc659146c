package dev.exportdesk.ui.destinations;

import dev.exportdesk.ui.Cells;
import dev.exportdesk.ui.Styles;
import dev.exportdesk.ui.ViewLoader;
import dev.exportdesk.ui.destinations.DestinationForm.Field;
import java.util.Locale;
import java.util.Map;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputControl;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * Destinations: the named destinations with the contracts naming them on the left, the
 * administrator's form on the right, showing only the fields of the chosen type. Credential fields
 * are password fields, never filled from the store.
 */
public final class DestinationsView {
    private static final Map<Field, String[]> LABELS = Map.ofEntries(
            Map.entry(Field.NAME, new String[] {"Name", "e.g. acme-sftp"}),
            Map.entry(Field.TYPE, new String[] {"Type", ""}),
            Map.entry(Field.PATH, new String[] {"Path", "folder: /srv/drop/acme, SFTP: /inbound/acme"}),
            Map.entry(Field.HOST, new String[] {"Host", "sftp.acme.example"}),
            Map.entry(Field.PORT, new String[] {"Port", "22"}),
            Map.entry(Field.USER, new String[] {"User", "the SFTP user"}),
            Map.entry(Field.HOST_KEY, new String[] {"Host key", "SHA256:… (or the workspace's known_hosts)"}),
            Map.entry(Field.PASSWORD, new String[] {"Password", "stored in the vault; empty keeps the stored one"}),
            Map.entry(Field.PRIVATE_KEY, new String[] {"Private key", "PEM/OpenSSH text; empty keeps the stored one"}),
            Map.entry(Field.ENDPOINT, new String[] {"Endpoint", "https://s3.acme.example (empty: AWS)"}),
            Map.entry(Field.REGION, new String[] {"Region", "us-east-1"}),
            Map.entry(Field.BUCKET, new String[] {"Bucket", "acme-inbound"}),
            Map.entry(Field.PREFIX, new String[] {"Prefix", "exports/acme/"}),
            Map.entry(Field.PATH_STYLE, new String[] {"Path-style", ""}),
            Map.entry(Field.ALLOW_INSECURE_HTTP, new String[] {"Plain http", ""}),
            Map.entry(Field.ACCESS_KEY_ID, new String[] {"Access key id", "stored in the vault; empty keeps it"}),
            Map.entry(Field.SECRET_ACCESS_KEY, new String[] {"Secret key", "stored in the vault; empty keeps it"}));
    private final DestinationsViewModel model;
    private Parent root;
    private Runnable showSources = () -> { };
    @FXML private Label messageLabel;
    @FXML private Label noticeLabel;
    @FXML private TableView<DestinationRow> destinationTable;
    @FXML private TableColumn<DestinationRow, String> dName;
    @FXML private TableColumn<DestinationRow, String> dType;
    @FXML private TableColumn<DestinationRow, String> dTarget;
    @FXML private TableColumn<DestinationRow, String> dUsedBy;
    @FXML private VBox formPane;
    @FXML private GridPane form;
    @FXML private Button addButton;
    @FXML private Button saveButton;
    @FXML private Button testButton;
    @FXML private Button removeButton;

    public DestinationsView(DestinationsViewModel model) {
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
        noticeLabel.textProperty().bind(model.noticeProperty());
        noticeLabel.managedProperty().bind(model.noticeProperty().isNotEmpty());
        destinationTable.setItems(model.rows());
        Cells.value(dName, DestinationRow::name);
        Cells.value(dType, DestinationRow::type);
        Cells.value(dTarget, DestinationRow::target);
        Cells.value(dUsedBy, DestinationRow::usedByText);
        Cells.tooltips(dTarget);
        Cells.tooltips(dUsedBy);
        destinationTable.getSelectionModel().selectedItemProperty()
                .addListener((o, a, b) -> model.selectedProperty().set(b));
        model.selectedProperty().addListener((o, a, b) -> {
            if (b != destinationTable.getSelectionModel().getSelectedItem()) {
                destinationTable.getSelectionModel().select(b);
            }
        });
        int row = 0;
        for (Field f : Field.values()) {
            row = addField(f, row);
        }
        formPane.disableProperty().bind(model.canManageProperty().not());
        addButton.disableProperty().bind(model.canAddProperty().not());
        saveButton.disableProperty().bind(model.canSaveProperty().not());
        testButton.disableProperty().bind(model.canTestProperty().not());
        removeButton.disableProperty().bind(model.canRemoveProperty().not());
    }

    /** A label, the input and, below it, the field's problem as the engine words it; shown for its type only. */
    private int addField(Field f, int row) {
        String id = "destination-" + f.name().toLowerCase(Locale.ROOT).replace('_', '-');
        Node input = input(f, id);
        GridPane.setHgrow(input, Priority.ALWAYS);
        Label label = new Label(LABELS.get(f)[0]);
        Label problem = new Label();
        problem.setId(id + "-problem");
        problem.setWrapText(true);
        problem.getStyleClass().add(Styles.FIELD_ERROR);
        problem.textProperty().bind(Bindings.stringValueAt(model.form().errors(), f));
        problem.textProperty().addListener((o, a, text) -> {
            input.getStyleClass().remove("error");
            if (text != null && !text.isEmpty()) {
                input.getStyleClass().add("error");
            }
        });
        BooleanBinding shown = Bindings.createBooleanBinding(() -> f.of(model.form().field(Field.TYPE).get()),
                model.form().field(Field.TYPE));
        for (Node n : new Node[] {label, input}) {
            n.visibleProperty().bind(shown);
            n.managedProperty().bind(shown);
        }
        problem.visibleProperty().bind(shown);
        problem.managedProperty().bind(shown.and(problem.textProperty().isNotEmpty()));
        form.addRow(row, label, input);
        form.add(problem, 1, row + 1);
        return row + 2;
    }

    private Node input(Field f, String id) {
        Node input;
        if (f == Field.TYPE) {
            ComboBox<String> type = new ComboBox<>();
            type.getItems().setAll("folder", "sftp", "s3");
            type.valueProperty().bindBidirectional(model.form().field(f));
            input = type;
        } else if (f == Field.PATH_STYLE || f == Field.ALLOW_INSECURE_HTTP) {
            CheckBox box = new CheckBox(f == Field.PATH_STYLE ? "bucket in the path (most non-AWS stores)"
                    : "allow http:// (loopback test stores only)");
            box.selectedProperty().addListener((o, a, b) -> model.form().field(f).set(b ? "true" : ""));
            model.form().field(f).addListener((o, a, b) -> box.setSelected("true".equals(b)));
            input = box;
        } else {
            TextInputControl text = DestinationForm.Field.CREDENTIALS.contains(f) ? new PasswordField() : new TextField();
            text.setPromptText(LABELS.get(f)[1]);
            text.textProperty().bindBidirectional(model.form().field(f));
            input = text;
        }
        input.setId(id);
        return input;
    }

    public DestinationsViewModel model() {
        return model;
    }

    /** Where the toolbar's sources button goes (the shell's screen switch). */
    public void onSources(Runnable show) {
        this.showSources = show;
    }

    @FXML private void onSourcesButton() {
        showSources.run();
    }

    @FXML private void onRefresh() {
        model.refresh();
    }

    @FXML private void onNew() {
        model.clear();
    }

    @FXML private void onAdd() {
        model.add();
    }

    @FXML private void onSave() {
        model.save();
    }

    @FXML private void onTest() {
        model.test();
    }

    @FXML private void onRemove() {
        model.remove();
    }
}
