package dev.exportdesk.ui.login;

import dev.exportdesk.ui.ViewLoader;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableValue;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextField;

/** Sign-in / first-start / new-password-after-reset form. */
public final class LoginView {
    private final LoginViewModel model;
    @FXML private Label messageLabel;
    @FXML private TextField nameField;
    @FXML private Label passwordLabel;
    @FXML private PasswordField passwordField;
    @FXML private Label repeatLabel;
    @FXML private PasswordField repeatField;
    @FXML private Label nextLabel;
    @FXML private PasswordField nextField;
    @FXML private Label nextRepeatLabel;
    @FXML private PasswordField nextRepeatField;
    @FXML private Label problemLabel;
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
        nextField.textProperty().bindBidirectional(model.nextProperty());
        nextRepeatField.textProperty().bindBidirectional(model.nextRepeatProperty());
        problemLabel.textProperty().bind(model.problemProperty());
        var mustChange = model.mustChangeProperty();
        // the temporary password was already accepted: only the new one is asked for
        showOnly(mustChange.not(), passwordLabel, passwordField);
        showOnly(model.firstStartProperty(), repeatLabel, repeatField);
        showOnly(mustChange, nextLabel, nextField, nextRepeatLabel, nextRepeatField, problemLabel);
        submitButton.textProperty().bind(Bindings.when(mustChange).then("Change password and sign in")
                .otherwise(model.firstStartProperty().get() ? "Create administrator" : "Sign in"));
        submitButton.disableProperty().bind(model.busyProperty().or(model.problemProperty().isNotEmpty()));
        spinner.visibleProperty().bind(model.busyProperty());
        nameField.setId("login-name");
        passwordField.setId("login-password");
        repeatField.setId("login-repeat");
        nextField.setId("login-new");
        nextRepeatField.setId("login-new-repeat");
        mustChange.addListener((o, a, now) -> {
            if (now) {
                nextField.requestFocus();
            }
        });
    }

    private static void showOnly(ObservableValue<Boolean> when, Node... nodes) {
        for (Node n : nodes) {
            n.visibleProperty().bind(when);
            n.managedProperty().bind(n.visibleProperty());
        }
    }

    @FXML
    private void onSubmit() {
        model.submit();
    }
}
