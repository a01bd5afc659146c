package dev.exportdesk.ui.users;

import dev.exportdesk.access.GuardedEngine;
import dev.exportdesk.ui.ConsoleContext;
import dev.exportdesk.ui.ErrorText;
import dev.exportdesk.ui.TaskRunner;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * "Change my password" for whoever is signed in: the current password, the new one twice. The
 * engine checks the current one (and audits the attempt, never the password); the fields are
 * cleared whatever the outcome.
 */
public final class PasswordViewModel {
    private final GuardedEngine engine;
    private final TaskRunner tasks;
    private final StringProperty current = new SimpleStringProperty("");
    private final StringProperty next = new SimpleStringProperty("");
    private final StringProperty repeat = new SimpleStringProperty("");
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper();
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(false);

    public PasswordViewModel(ConsoleContext context) {
        this.engine = context.engine();
        this.tasks = context.tasks();
        problem.bind(Bindings.createStringBinding(this::validate, current, next, repeat));
    }

    private String validate() {
        if (current.get().isEmpty()) {
            return "Enter your current password.";
        }
        return NewPassword.problem("The new password", next.get(), repeat.get());
    }

    public void change() {
        if (!problem.get().isEmpty() || busy.get()) {
            return;
        }
        char[] old = current.get().toCharArray();
        char[] fresh = next.get().toCharArray();
        current.set("");
        next.set("");
        repeat.set("");
        busy.set(true);
        tasks.run(() -> {
            engine.users().changeOwnPassword(old, fresh);
            return null;
        }, done -> {
            busy.set(false);
            message.set("Your password was changed. Use it from your next sign-in.");
        }, e -> {
            busy.set(false);
            message.set("Your password was not changed: " + ErrorText.summary(e));
        });
    }

    public StringProperty currentProperty() {
        return current;
    }

    public StringProperty nextProperty() {
        return next;
    }

    public StringProperty repeatProperty() {
        return repeat;
    }

    /** Why Change is disabled; empty when the form is complete. */
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
