package dev.exportdesk.ui.users;

import dev.exportdesk.access.Role;
import dev.exportdesk.access.UserService;
import dev.exportdesk.ui.Cells;
import dev.exportdesk.ui.ViewLoader;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;

/** Users: the admin's list and changes on the left, a new user and "my password" on the right. */
public final class UsersView {
    private final UsersViewModel model;
    private Parent root;
    private Runnable signOut = () -> { };
    @FXML private Label messageLabel;
    @FXML private VBox managePane;
    @FXML private TableView<UserService.Account> userTable;
    @FXML private TableColumn<UserService.Account, String> uName;
    @FXML private TableColumn<UserService.Account, String> uRole;
    @FXML private TableColumn<UserService.Account, String> uStatus;
    @FXML private TableColumn<UserService.Account, String> uLastSignIn;
    @FXML private TableColumn<UserService.Account, String> uCreated;
    @FXML private TableColumn<UserService.Account, String> uCreatedBy;
    @FXML private ComboBox<Role> roleBox;
    @FXML private Button roleButton;
    @FXML private Button resetButton;
    @FXML private Button disableButton;
    @FXML private Button removeButton;
    @FXML private GridPane newUserPane;
    @FXML private TextField newNameField;
    @FXML private Label newNameError;
    @FXML private ComboBox<Role> newRoleBox;
    @FXML private PasswordField newPasswordField;
    @FXML private PasswordField newRepeatField;
    @FXML private Button createButton;
    @FXML private Label newProblemLabel;
    @FXML private PasswordField currentField;
    @FXML private PasswordField nextField;
    @FXML private PasswordField repeatField;
    @FXML private Button passwordButton;
    @FXML private Label passwordProblemLabel;
    @FXML private Label passwordMessageLabel;

    public UsersView(UsersViewModel model) {
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
        userTable.setItems(model.accounts());
        Cells.value(uName, a -> a.user().name());
        Cells.value(uRole, a -> a.user().role().label());
        Cells.value(uStatus, UsersViewModel::status);
        Cells.value(uLastSignIn, a -> a.lastSignInAt() == null ? "never" : Cells.time(a.lastSignInAt()));
        Cells.times(uLastSignIn);
        Cells.value(uCreated, a -> Cells.time(a.user().createdAt()));
        Cells.value(uCreatedBy, UserService.Account::createdBy);
        // user names run to 64 characters: a cut one is whole in its tooltip
        Cells.tooltips(uName);
        Cells.tooltips(uCreatedBy);
        Cells.fillWhenWide(userTable);
        userTable.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> model.selectedProperty().set(b));
        model.selectedProperty().addListener((o, a, b) -> {
            if (b != userTable.getSelectionModel().getSelectedItem()) {
                userTable.getSelectionModel().select(b);
            }
        });
        roleBox.getItems().setAll(UsersViewModel.ROLES);
        roleBox.valueProperty().bindBidirectional(model.selectedRoleProperty());
        newRoleBox.getItems().setAll(UsersViewModel.ROLES);
        newRoleBox.valueProperty().bindBidirectional(model.newRoleProperty());
        BooleanBinding noManage = model.canManageProperty().not();
        BooleanBinding none = noManage.or(model.selectedProperty().isNull());
        roleBox.disableProperty().bind(none);
        roleButton.disableProperty().bind(none);
        resetButton.disableProperty().bind(none);
        disableButton.disableProperty().bind(none);
        removeButton.disableProperty().bind(none);
        disableButton.textProperty().bind(Bindings.createStringBinding(() -> model.selectedProperty().get() != null
                && model.selectedProperty().get().disabled() ? "Enable" : "Disable", model.selectedProperty()));
        managePane.disableProperty().bind(noManage);
        newUserPane.disableProperty().bind(noManage);
        newNameField.textProperty().bindBidirectional(model.newNameProperty());
        newPasswordField.textProperty().bindBidirectional(model.newPasswordProperty());
        newRepeatField.textProperty().bindBidirectional(model.newPasswordRepeatProperty());
        createButton.disableProperty().bind(model.newProblemProperty().isNotEmpty());
        // a name problem is said under the name, where the fix is typed; the line under the form says the rest
        newNameError.textProperty().bind(model.newNameProblemProperty());
        newNameError.visibleProperty().bind(model.newNameProblemProperty().isNotEmpty());
        newNameError.managedProperty().bind(newNameError.visibleProperty());
        newProblemLabel.textProperty().bind(Bindings.createStringBinding(() -> noManage.get()
                || model.newProblemProperty().get().equals(model.newNameProblemProperty().get()) ? ""
                : model.newProblemProperty().get(), noManage, model.newProblemProperty(),
                model.newNameProblemProperty()));
        PasswordViewModel pw = model.password();
        currentField.textProperty().bindBidirectional(pw.currentProperty());
        nextField.textProperty().bindBidirectional(pw.nextProperty());
        repeatField.textProperty().bindBidirectional(pw.repeatProperty());
        passwordButton.disableProperty().bind(pw.problemProperty().isNotEmpty().or(pw.busyProperty()));
        passwordProblemLabel.textProperty().bind(pw.problemProperty());
        passwordMessageLabel.textProperty().bind(pw.messageProperty());
    }

    public UsersViewModel model() {
        return model;
    }

    @FXML private void onRefresh() {
        model.refresh();
    }

    @FXML private void onRole() {
        model.applyRole();
    }

    @FXML private void onReset() {
        model.resetSelected().ifPresent(form -> new ResetPasswordView(form).show(userTable.getScene().getWindow()));
    }

    @FXML private void onDisable() {
        model.toggleDisabled();
    }

    @FXML private void onRemove() {
        model.remove();
    }

    @FXML private void onCreate() {
        model.create();
    }

    @FXML private void onPassword() {
        model.password().change();
    }

    /** What Sign out does (the shell's: stop, then hand over to the sign-in window). */
    public void onSignOut(Runnable action) {
        this.signOut = action;
    }

    @FXML private void onSignOut() {
        signOut.run();
    }
}
