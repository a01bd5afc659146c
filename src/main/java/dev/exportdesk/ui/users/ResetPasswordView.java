package dev.exportdesk.ui.users;

import dev.exportdesk.ui.ViewLoader;
import javafx.fxml.FXML;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;

/** The reset-password dialog: a small modal window over the Users screen, bound to its form. */
public final class ResetPasswordView {
    private final ResetPasswordViewModel model;
    private Stage stage;
    @FXML private Label titleLabel;
    @FXML private Label explanationLabel;
    @FXML private PasswordField resetPasswordField;
    @FXML private PasswordField resetRepeatField;
    @FXML private Label resetProblemLabel;
    @FXML private Button resetConfirmButton;

    public ResetPasswordView(ResetPasswordViewModel model) {
        this.model = model;
    }

    /** Opens the dialog over {@code owner}, with the owner's stylesheets (so the theme carries over). */
    public Stage show(Window owner) {
        Scene scene = new Scene(ViewLoader.load(this));
        if (owner.getScene() != null) {
            scene.getStylesheets().setAll(owner.getScene().getStylesheets());
        }
        stage = new Stage();
        stage.initOwner(owner);
        stage.initModality(Modality.WINDOW_MODAL);
        stage.setTitle(model.title());
        stage.setScene(scene);
        stage.show();
        return stage;
    }

    @FXML
    private void initialize() {
        titleLabel.setText(model.title());
        explanationLabel.setText(model.explanation());
        resetPasswordField.textProperty().bindBidirectional(model.passwordProperty());
        resetRepeatField.textProperty().bindBidirectional(model.repeatProperty());
        resetProblemLabel.textProperty().bind(model.problemProperty());
        resetConfirmButton.disableProperty().bind(model.problemProperty().isNotEmpty());
    }

    @FXML private void onReset() {
        if (model.submit()) {
            stage.close();
        }
    }

    @FXML private void onCancel() {
        stage.close();
    }
}
