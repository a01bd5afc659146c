package dev.exportdesk.ui.audit;

import dev.exportdesk.ui.ViewLoader;
import java.time.format.DateTimeFormatter;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.DatePicker;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;
import javafx.util.converter.LocalDateStringConverter;

/** The contract report dialog: a small window over the console, bound to its view model. */
public final class ContractReportView {
    private final ContractReportViewModel model;
    private Stage stage;
    @FXML private ComboBox<String> contractBox;
    @FXML private DatePicker fromPicker;
    @FXML private DatePicker toPicker;
    @FXML private ComboBox<String> formatBox;
    @FXML private TextField outputField;
    @FXML private Label problemLabel;
    @FXML private Label statusLabel;
    @FXML private Button writeReportButton;
    @FXML private Button chooseOutputButton;

    public ContractReportView(ContractReportViewModel model) {
        this.model = model;
    }

    /** Opens the dialog over {@code owner}, with the owner's stylesheets (so the theme carries over). */
    public Stage show(Window owner) {
        Parent root = ViewLoader.load(this);
        Scene scene = new Scene(root);
        if (owner.getScene() != null) {
            scene.getStylesheets().setAll(owner.getScene().getStylesheets());
        }
        stage = new Stage();
        stage.initOwner(owner);
        stage.initModality(Modality.WINDOW_MODAL);
        stage.setTitle("Contract report");
        stage.setScene(scene);
        model.load();
        stage.show();
        return stage;
    }

    @FXML
    private void initialize() {
        contractBox.setItems(model.contracts());
        contractBox.valueProperty().bindBidirectional(model.contractProperty());
        // ISO dates whatever the desktop's locale: the report and the CLI speak ISO too
        fromPicker.setConverter(new LocalDateStringConverter(DateTimeFormatter.ISO_LOCAL_DATE, null));
        toPicker.setConverter(new LocalDateStringConverter(DateTimeFormatter.ISO_LOCAL_DATE, null));
        fromPicker.valueProperty().bindBidirectional(model.fromProperty());
        toPicker.valueProperty().bindBidirectional(model.toProperty());
        formatBox.getItems().setAll(ContractReportViewModel.FORMATS);
        formatBox.valueProperty().bindBidirectional(model.formatProperty());
        outputField.textProperty().bindBidirectional(model.outputProperty());
        problemLabel.textProperty().bind(model.problemProperty());
        statusLabel.textProperty().bind(model.statusProperty());
        // a longer status wraps onto more lines: grow the window so the buttons stay visible
        model.statusProperty().addListener((o, a, b) -> {
            if (stage != null) {
                stage.sizeToScene();
            }
        });
        writeReportButton.disableProperty().bind(model.canExportBinding().not());
        chooseOutputButton.disableProperty().bind(model.busyProperty());
    }

    public ContractReportViewModel model() {
        return model;
    }

    @FXML private void onChoose() {
        model.chooseOutput();
    }

    @FXML private void onExport() {
        model.export();
    }

    @FXML private void onClose() {
        stage.close();
    }
}
