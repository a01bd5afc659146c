package dev.exportdesk.ui.shell;

import java.io.IOException;
import java.io.UncheckedIOException;
import javafx.fxml.FXML;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;

/** Thin view: loads Shell.fxml and binds it to the view model. */
public final class ShellView {
    private final ShellViewModel model;
    @FXML
    private Label workspaceLabel;
    @FXML
    private Label statusLabel;
    @FXML
    private ListView<String> contractList;

    public ShellView(ShellViewModel model) {
        this.model = model;
    }

    public Parent load() {
        FXMLLoader loader = new FXMLLoader(getClass().getResource("/fxml/dev/exportdesk/ui/shell/Shell.fxml"));
        loader.setController(this);
        try {
            return loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FXML
    private void initialize() {
        workspaceLabel.textProperty().bind(model.workspaceProperty());
        statusLabel.textProperty().bind(model.statusLineProperty());
        contractList.setItems(model.contracts());
    }

    @FXML
    private void onRefresh() {
        model.refresh();
    }
}
