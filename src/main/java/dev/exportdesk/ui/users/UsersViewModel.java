package dev.exportdesk.ui.users;

import dev.exportdesk.access.GuardedEngine;
import dev.exportdesk.access.Permission;
import dev.exportdesk.access.Role;
import dev.exportdesk.access.UserService;
import dev.exportdesk.ui.ConsoleContext;
import dev.exportdesk.ui.DialogService;
import dev.exportdesk.ui.ErrorText;
import dev.exportdesk.ui.TaskRunner;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * Users (admins): the list with roles and status, a new user with a role and initial password,
 * and for the selected user: change role, reset password, disable or enable, remove. Every change
 * goes through the engine's {@code UserService} (admin-only, audited, never the last admin); the
 * list is re-read after each. Everyone else sees only their own password form
 * ({@link PasswordViewModel}). Whether this user may manage users is re-read from the store at
 * every refresh, so an admin's role change shows the next time the screen is shown.
 */
public final class UsersViewModel {
    public static final List<Role> ROLES = List.of(Role.values());
    private final GuardedEngine engine;
    private final TaskRunner tasks;
    private final DialogService dialogs;
    private final ObservableList<UserService.Account> accounts = FXCollections.observableArrayList();
    private final ObjectProperty<UserService.Account> selected = new SimpleObjectProperty<>();
    private final ObjectProperty<Role> selectedRole = new SimpleObjectProperty<>();
    private final StringProperty newName = new SimpleStringProperty("");
    private final ObjectProperty<Role> newRole = new SimpleObjectProperty<>(Role.OPERATOR);
    private final StringProperty newPassword = new SimpleStringProperty("");
    private final StringProperty newPasswordRepeat = new SimpleStringProperty("");
    private final ReadOnlyStringWrapper newNameProblem = new ReadOnlyStringWrapper();
    private final ReadOnlyStringWrapper newProblem = new ReadOnlyStringWrapper();
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper canManage = new ReadOnlyBooleanWrapper();
    private final PasswordViewModel password;

    public UsersViewModel(ConsoleContext context) {
        this.engine = context.engine();
        this.tasks = context.tasks();
        this.dialogs = context.dialogs();
        this.password = new PasswordViewModel(context);
        canManage.set(engine.can(Permission.MANAGE_USERS));
        // the list counts: a taken name is said as it is typed, and again after a refused Create re-read it
        newNameProblem.bind(Bindings.createStringBinding(this::validateName, newName, accounts));
        newProblem.bind(Bindings.createStringBinding(this::validateNew, newName, newNameProblem, newPassword,
                newPasswordRepeat));
        selected.addListener((o, a, s) -> selectedRole.set(s == null ? null : s.user().role()));
    }

    /** Re-reads this user's role, then the users (admins only: others have nothing to list). */
    public void refresh() {
        String keep = selected.get() == null ? null : selected.get().user().name();
        tasks.run(() -> engine.refreshUser().can(Permission.MANAGE_USERS) ? Optional.of(engine.users().accounts())
                : Optional.<List<UserService.Account>>empty(), list -> {
            canManage.set(list.isPresent());
            accounts.setAll(list.orElse(List.of()));
            selected.set(accounts.stream().filter(a -> a.user().name().equals(keep)).findFirst().orElse(null));
            if (list.isEmpty()) {
                message.set("Only an admin manages users. You can change your own password below.");
            }
        }, e -> message.set("Could not read the users: " + ErrorText.summary(e)));
    }

    /** The engine's own rule for names, and the names already taken; nothing while the field is empty. */
    private String validateName() {
        String name = newName.get().trim();
        if (name.isEmpty()) {
            return "";
        }
        try {
            UserService.checkName(name);
        } catch (IllegalArgumentException e) {
            String rule = e.getMessage();
            return Character.toUpperCase(rule.charAt(0)) + rule.substring(1) + ".";
        }
        return accounts.stream().filter(a -> a.user().name().equals(name)).findFirst()
                .map(a -> "There is already a user named " + name + (a.disabled() ? " (disabled: enable it instead)"
                        : "") + ".").orElse("");
    }

    private String validateNew() {
        if (newName.get().isBlank()) {
            return "Enter a user name.";
        }
        if (!newNameProblem.get().isEmpty()) {
            return newNameProblem.get();
        }
        return NewPassword.problem("The initial password", newPassword.get(), newPasswordRepeat.get());
    }

    /** Creates the user; the form is emptied only once it exists, so a refusal costs no retyping. */
    public void create() {
        if (!newProblem.get().isEmpty()) {
            return;
        }
        String name = newName.get().trim();
        Role role = newRole.get();
        char[] pw = newPassword.get().toCharArray();
        change("Created " + name + " (" + role.label() + ").", () -> engine.users().createUser(name, role, pw), () -> {
            newName.set("");
            newPassword.set("");
            newPasswordRepeat.set("");
        });
    }

    public void applyRole() {
        UserService.Account a = selected.get();
        Role role = selectedRole.get();
        if (a != null && role != null && role != a.user().role()) {
            change(a.user().name() + " is now " + role.label() + ".", () -> {
                engine.users().changeRole(a.user().name(), role);
                return null;
            }, () -> { });
        }
    }

    /**
     * The reset-password form for the selected user; submitting it resets through the engine (which
     * refuses non-admins and your own account) and reports here. Empty without a selection.
     */
    public Optional<ResetPasswordViewModel> resetSelected() {
        UserService.Account a = selected.get();
        if (a == null) {
            return Optional.empty();
        }
        String name = a.user().name();
        return Optional.of(new ResetPasswordViewModel(name, temporary -> change(name
                + " has a temporary password and must choose a new one at their next sign-in.", () -> {
                    engine.users().resetPassword(name, temporary);
                    return null;
                }, () -> { })));
    }

    /** Disables the selected user, or enables a disabled one again. */
    public void toggleDisabled() {
        UserService.Account a = selected.get();
        if (a != null) {
            boolean disable = !a.disabled();
            change(a.user().name() + (disable ? " is disabled and cannot sign in." : " can sign in again."), () -> {
                engine.users().setUserDisabled(a.user().name(), disable);
                return null;
            }, () -> { });
        }
    }

    /** Removes the selected user after asking. */
    public void remove() {
        UserService.Account a = selected.get();
        if (a != null && dialogs.confirm("Remove user", "Remove " + a.user().name() + " (" + a.user().role().label()
                + ") for good? The audit log keeps what they did. To only stop them signing in, disable them.")) {
            change("Removed " + a.user().name() + ".", () -> {
                engine.users().removeUser(a.user().name());
                return null;
            }, () -> { });
        }
    }

    /** Runs one change in the background, then says what happened and re-reads the list. */
    private void change(String done, Callable<?> work, Runnable after) {
        tasks.run(work, r -> {
            message.set(done);
            after.run();
            refresh();
        }, e -> {
            message.set("Not changed: " + ErrorText.summary(e));
            refresh();
        });
    }

    /** "enabled" or "disabled since …" for the table, and whether a reset password awaits replacing. */
    public static String status(UserService.Account a) {
        String state = a.disabled() ? "disabled since " + a.disabledAt().truncatedTo(java.time.temporal.ChronoUnit
                .SECONDS) : "enabled";
        if (a.lockedAt(java.time.Instant.now())) {
            state += ", locked after failed sign-ins until " + dev.exportdesk.ui.Cells.time(a.lockedUntil());
        }
        return a.mustChangePassword() ? state + ", new password due" : state;
    }

    public PasswordViewModel password() {
        return password;
    }

    public ObservableList<UserService.Account> accounts() {
        return accounts;
    }

    public ObjectProperty<UserService.Account> selectedProperty() {
        return selected;
    }

    public ObjectProperty<Role> selectedRoleProperty() {
        return selectedRole;
    }

    public StringProperty newNameProperty() {
        return newName;
    }

    public ObjectProperty<Role> newRoleProperty() {
        return newRole;
    }

    public StringProperty newPasswordProperty() {
        return newPassword;
    }

    public StringProperty newPasswordRepeatProperty() {
        return newPasswordRepeat;
    }

    /** What is wrong with the typed name (shown under it); empty when nothing is typed or it can be used. */
    public ReadOnlyStringProperty newNameProblemProperty() {
        return newNameProblem.getReadOnlyProperty();
    }

    /** Why Create is disabled; empty when the form is complete. */
    public ReadOnlyStringProperty newProblemProperty() {
        return newProblem.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canManageProperty() {
        return canManage.getReadOnlyProperty();
    }
}
