package dev.exportdesk.ui.login;

import dev.exportdesk.ui.ViewLoader;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextField;

/** Sign-in / first-start form. */
public final class LoginView {
    private final LoginViewModel model;
    @FXML private Label messageLabel;
    @FXML private TextField nameField;
    @FXML private PasswordField passwordField;
    @FXML private Label repeatLabel;
    @FXML private PasswordField repeatField;
    @FXML private Button submitButton;
    @FXML private ProgressIndicator spinner;

    public LoginView(LoginViewModel model) {
        this.model = model;
    }

    public Parent load() {
        return ViewLoader.load(this);
    }

    @FXML
    private void initialize() {
        messageLabel.textProperty().bind(model.messageProperty());
        nameField.textProperty().bindBidirectional(model.nameProperty());
        passwordField.textProperty().bindBidirectional(model.passwordProperty());
        repeatField.textProperty().bindBidirectional(model.repeatProperty());
        repeatField.visibleProperty().bind(model.firstStartProperty());
        repeatField.managedProperty().bind(model.firstStartProperty());
        repeatLabel.visibleProperty().bind(model.firstStartProperty());
        repeatLabel.managedProperty().bind(model.firstStartProperty());
        submitButton.setText(model.firstStartProperty().get() ? "Create administrator" : "Sign in");
        submitButton.disableProperty().bind(model.busyProperty());
        spinner.visibleProperty().bind(model.busyProperty());
        nameField.setId("login-name");
        passwordField.setId("login-password");
        repeatField.setId("login-repeat");
    }

    @FXML
    private void onSubmit() {
        model.submit();
    }
}
