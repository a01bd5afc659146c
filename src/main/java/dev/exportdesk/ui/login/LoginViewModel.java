package dev.exportdesk.ui.login;

import dev.exportdesk.access.User;
import dev.exportdesk.access.UserService;
import dev.exportdesk.ui.ErrorText;
import dev.exportdesk.ui.TaskRunner;
import dev.exportdesk.ui.users.NewPassword;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * Sign-in, or on first start the creation of the administrator (password asked twice). When an
 * admin reset the password, the engine refuses the sign-in until a new one is chosen: the form then
 * asks for it (twice) and signs in with it, keeping the temporary password it was given.
 */
public final class LoginViewModel {
    private final UserService users;
    private final TaskRunner tasks;
    private final Consumer<User> onSignedIn;
    private final ReadOnlyBooleanWrapper firstStart = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper mustChange = new ReadOnlyBooleanWrapper();
    private final StringProperty name = new SimpleStringProperty("admin");
    private final StringProperty password = new SimpleStringProperty("");
    private final StringProperty repeat = new SimpleStringProperty("");
    private final StringProperty next = new SimpleStringProperty("");
    private final StringProperty nextRepeat = new SimpleStringProperty("");
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper();
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper();

    public LoginViewModel(UserService users, TaskRunner tasks, boolean firstStart, Consumer<User> onSignedIn) {
        this.users = users;
        this.tasks = tasks;
        this.onSignedIn = onSignedIn;
        this.firstStart.set(firstStart);
        message.set(firstStart ? "First start: choose the administrator's password (at least "
                + UserService.MIN_PASSWORD_LENGTH + " characters)." : "Sign in to this workspace.");
        problem.bind(Bindings.createStringBinding(() -> mustChange.get()
                ? NewPassword.problem("The new password", next.get(), nextRepeat.get()) : "", mustChange, next,
                nextRepeat));
        // the temporary password belongs to the name it was checked with
        name.addListener((o, a, b) -> {
            if (mustChange.get()) {
                mustChange.set(false);
                password.set("");
                message.set("Sign in to this workspace.");
            }
        });
    }

    public void submit() {
        if (busy.get() || !problem.get().isEmpty()) {
            return;
        }
        String n = name.get() == null ? "" : name.get().trim();
        char[] pw = password.get() == null ? new char[0] : password.get().toCharArray();
        if (firstStart.get() && !password.get().equals(repeat.get())) {
            message.set("The two passwords differ.");
            return;
        }
        Callable<User> work;
        if (mustChange.get()) {
            char[] fresh = next.get().toCharArray();
            work = () -> users.signInWithNewPassword(n, pw, fresh);
        } else if (firstStart.get()) {
            work = () -> users.createFirstAdmin(n, pw);
        } else {
            work = () -> users.signIn(n, pw);
        }
        busy.set(true);
        message.set(firstStart.get() ? "Creating the administrator…" : "Checking…");
        tasks.run(work, u -> {
            busy.set(false);
            mustChange.set(false);
            password.set("");
            repeat.set("");
            next.set("");
            nextRepeat.set("");
            onSignedIn.accept(u);
        }, e -> {
            busy.set(false);
            if (e instanceof UserService.PasswordChangeRequiredException) {
                mustChange.set(true);
                message.set("An administrator reset your password. Choose a new one to continue; the temporary "
                        + "password then stops working.");
            } else {
                message.set(ErrorText.summary(e));
            }
        });
    }

    public ReadOnlyBooleanProperty firstStartProperty() {
        return firstStart.getReadOnlyProperty();
    }

    /** True while the form asks for a new password because an admin reset the old one. */
    public ReadOnlyBooleanProperty mustChangeProperty() {
        return mustChange.getReadOnlyProperty();
    }

    public StringProperty nameProperty() {
        return name;
    }

    public StringProperty passwordProperty() {
        return password;
    }

    public StringProperty repeatProperty() {
        return repeat;
    }

    public StringProperty nextProperty() {
        return next;
    }

    public StringProperty nextRepeatProperty() {
        return nextRepeat;
    }

    /** Why the new password cannot be used yet (only while {@link #mustChangeProperty()}); empty otherwise. */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }
}
