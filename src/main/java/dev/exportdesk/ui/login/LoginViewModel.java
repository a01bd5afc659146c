package dev.exportdesk.ui.login;

import dev.exportdesk.access.User;
import dev.exportdesk.access.UserService;
import dev.exportdesk.ui.ErrorText;
import dev.exportdesk.ui.TaskRunner;
import java.util.function.Consumer;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/** Sign-in, or on first start the creation of the administrator (password asked twice). */
public final class LoginViewModel {
    private final UserService users;
    private final TaskRunner tasks;
    private final Consumer<User> onSignedIn;
    private final ReadOnlyBooleanWrapper firstStart = new ReadOnlyBooleanWrapper();
    private final StringProperty name = new SimpleStringProperty("admin");
    private final StringProperty password = new SimpleStringProperty("");
    private final StringProperty repeat = new SimpleStringProperty("");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper();

    public LoginViewModel(UserService users, TaskRunner tasks, boolean firstStart, Consumer<User> onSignedIn) {
        this.users = users;
        this.tasks = tasks;
        this.onSignedIn = onSignedIn;
        this.firstStart.set(firstStart);
        message.set(firstStart ? "First start: choose the administrator's password (at least "
                + UserService.MIN_PASSWORD_LENGTH + " characters)." : "Sign in to this workspace.");
    }

    public void submit() {
        if (busy.get()) {
            return;
        }
        String n = name.get() == null ? "" : name.get().trim();
        char[] pw = password.get() == null ? new char[0] : password.get().toCharArray();
        if (firstStart.get() && !password.get().equals(repeat.get())) {
            message.set("The two passwords differ.");
            return;
        }
        busy.set(true);
        message.set(firstStart.get() ? "Creating the administrator…" : "Checking…");
        boolean first = firstStart.get();
        tasks.run(() -> first ? users.createFirstAdmin(n, pw) : users.signIn(n, pw), u -> {
            busy.set(false);
            password.set("");
            repeat.set("");
            onSignedIn.accept(u);
        }, e -> {
            busy.set(false);
            message.set(ErrorText.summary(e));
        });
    }

    public ReadOnlyBooleanProperty firstStartProperty() {
        return firstStart.getReadOnlyProperty();
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

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }
}
