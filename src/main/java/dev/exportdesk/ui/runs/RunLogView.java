package dev.exportdesk.ui.runs;

import dev.exportdesk.ui.ViewLoader;
import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.stage.Stage;
import javafx.stage.Window;

/**
 * A run's log in a window of its own beside the run detail: plain monospaced text, read-only, kept
 * scrolled to the end as it grows while the run runs; Copy puts all of it on the clipboard, Save log…
 * writes a copy. The window follows its owner's stylesheets (theme) and closes with it.
 */
public final class RunLogView {
    private final RunLogViewModel model;
    private final Runnable onClose;
    private Parent root;
    @FXML private Label statusLabel;
    @FXML private TextArea logArea;
    @FXML private CheckBox wrapBox;

    public RunLogView(RunLogViewModel model, Runnable onClose) {
        this.model = model;
        this.onClose = onClose;
    }

    /** Opens {@code model}'s log in a new window over {@code owner}. */
    public static Stage open(RunLogViewModel model, Window owner) {
        Stage stage = new Stage();
        RunLogView view = new RunLogView(model, stage::close);
        Scene scene = new Scene(view.root(), 1000, 600);
        if (owner != null && owner.getScene() != null) {
            stage.initOwner(owner);
            Bindings.bindContent(scene.getStylesheets(), owner.getScene().getStylesheets());
        }
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.ESCAPE), stage::close);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F5), model::refresh);
        stage.setScene(scene);
        stage.titleProperty().bind(Bindings.concat("ExportDesk — ", model.titleProperty()));
        stage.setOnHidden(e -> {
            model.deactivate();
            if (owner != null && owner.getScene() != null) {
                Bindings.unbindContent(scene.getStylesheets(), owner.getScene().getStylesheets());
            }
        });
        model.activate();
        stage.show();
        return stage;
    }

    public Parent root() {
        if (root == null) {
            root = ViewLoader.load(this);
        }
        return root;
    }

    @FXML
    private void initialize() {
        statusLabel.textProperty().bind(model.statusProperty());
        // a log reads best line by line; a long failure line is easier to read wrapped
        logArea.wrapTextProperty().bind(wrapBox.selectedProperty());
        show(model.textProperty().get());
        model.textProperty().addListener((o, a, b) -> show(b));
    }

    /** The whole text, then the caret and the view at its end: the newest lines are what one looks for. */
    private void show(String text) {
        logArea.setText(text);
        logArea.positionCaret(text.length());
        logArea.setScrollTop(Double.MAX_VALUE);
    }

    public TextArea area() {
        return logArea;
    }

    @FXML private void onRefresh() {
        model.refresh();
    }

    @FXML private void onCopy() {
        ClipboardContent content = new ClipboardContent();
        content.putString(model.textProperty().get());
        Clipboard.getSystemClipboard().setContent(content);
    }

    @FXML private void onSave() {
        model.save();
    }

    @FXML private void onClose() {
        onClose.run();
    }
}
