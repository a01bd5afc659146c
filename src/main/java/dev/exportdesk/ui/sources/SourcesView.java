package dev.exportdesk.ui.sources;

import dev.exportdesk.ui.Cells;
import dev.exportdesk.ui.Styles;
import dev.exportdesk.ui.ViewLoader;
import dev.exportdesk.ui.sources.SourceForm.Field;
import java.util.Locale;
import java.util.Map;
import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/** Sources: the connections with the contracts naming them on the left, the administrator's form on the right. */
public final class SourcesView {
    private static final Map<Field, String[]> LABELS = Map.of(
            Field.NAME, new String[] {"Name", "e.g. shop"},
            Field.JDBC_URL, new String[] {"JDBC URL", "jdbc:postgresql://host:5432/db or jdbc:h2:file:/path"},
            Field.USER, new String[] {"User", "the database user (or give User env)"},
            Field.USER_ENV, new String[] {"User env", "variable holding the user, e.g. SHOP_USER"},
            Field.PASSWORD_ENV, new String[] {"Password env", "variable holding the password, e.g. SHOP_PW"});
    private final SourcesViewModel model;
    private Parent root;
    private Runnable showDestinations = () -> { };
    @FXML private Label messageLabel;
    @FXML private Label noticeLabel;
    @FXML private TableView<SourceRow> sourceTable;
    @FXML private TableColumn<SourceRow, String> sName;
    @FXML private TableColumn<SourceRow, String> sUrl;
    @FXML private TableColumn<SourceRow, String> sUser;
    @FXML private TableColumn<SourceRow, String> sPassword;
    @FXML private TableColumn<SourceRow, String> sUsedBy;
    @FXML private VBox formPane;
    @FXML private GridPane form;
    @FXML private Button addButton;
    @FXML private Button saveButton;
    @FXML private Button testButton;
    @FXML private Button removeButton;

    public SourcesView(SourcesViewModel model) {
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
        sourceTable.setItems(model.rows());
        Cells.value(sName, SourceRow::name);
        Cells.tooltips(sName); // up to 64 characters
        Cells.fillWhenWide(sourceTable);
        Cells.value(sUrl, r -> r.source().jdbcUrl());
        Cells.value(sUser, SourceRow::user);
        Cells.value(sPassword, SourceRow::password);
        Cells.value(sUsedBy, SourceRow::usedByText);
        Cells.tooltips(sUrl);
        Cells.tooltips(sUsedBy);
        sourceTable.getSelectionModel().selectedItemProperty()
                .addListener((o, a, b) -> model.selectedProperty().set(b));
        model.selectedProperty().addListener((o, a, b) -> {
            if (b != sourceTable.getSelectionModel().getSelectedItem()) {
                sourceTable.getSelectionModel().select(b);
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

    /** A label, the field and, below it, the field's problem as the engine words it. */
    private int addField(Field f, int row) {
        String id = "source-" + f.name().toLowerCase(Locale.ROOT).replace('_', '-');
        TextField input = new TextField();
        input.setId(id);
        input.setPromptText(LABELS.get(f)[1]);
        input.textProperty().bindBidirectional(model.form().field(f));
        GridPane.setHgrow(input, Priority.ALWAYS);
        Label problem = new Label();
        problem.setId(id + "-problem");
        problem.setWrapText(true);
        problem.getStyleClass().add(Styles.FIELD_ERROR);
        problem.textProperty().bind(Bindings.stringValueAt(model.form().errors(), f));
        problem.managedProperty().bind(problem.textProperty().isNotEmpty());
        problem.textProperty().addListener((o, a, text) -> {
            input.getStyleClass().remove("error");
            if (text != null && !text.isEmpty()) {
                input.getStyleClass().add("error");
            }
        });
        form.addRow(row, new Label(LABELS.get(f)[0]), input);
        form.add(problem, 1, row + 1);
        return row + 2;
    }

    public SourcesViewModel model() {
        return model;
    }

    /** Where the toolbar's destinations button goes (the shell's screen switch). */
    public void onDestinations(Runnable show) {
        this.showDestinations = show;
    }

    @FXML private void onDestinationsButton() {
        showDestinations.run();
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
