package dev.exportdesk.ui.users;

import java.util.function.Consumer;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * An admin's "Reset password" form for one other user: a temporary password typed twice, checked
 * as it is typed. Submitting hands it to the Users screen, which resets it through the engine and
 * reports the outcome; the fields are cleared at once so the password lingers nowhere.
 */
public final class ResetPasswordViewModel {
    private final String user;
    private final Consumer<char[]> onSubmit;
    private final StringProperty password = new SimpleStringProperty("");
    private final StringProperty repeat = new SimpleStringProperty("");
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper();

    ResetPasswordViewModel(String user, Consumer<char[]> onSubmit) {
        this.user = user;
        this.onSubmit = onSubmit;
        problem.bind(Bindings.createStringBinding(() -> NewPassword.problem("The temporary password", password.get(),
                repeat.get()), password, repeat));
    }

    public String title() {
        return "Reset the password of " + user;
    }

    public String explanation() {
        return user + " will have to choose a new password at their next sign-in, and a console they have open "
                + "stops working. Tell them the temporary password yourself: it is good for nothing else.";
    }

    /** Hands the password over when the form is complete (true), clearing the fields; false otherwise. */
    public boolean submit() {
        if (!problem.get().isEmpty()) {
            return false;
        }
        char[] temporary = password.get().toCharArray();
        password.set("");
        repeat.set("");
        onSubmit.accept(temporary);
        return true;
    }

    public StringProperty passwordProperty() {
        return password;
    }

    public StringProperty repeatProperty() {
        return repeat;
    }

    /** Why Reset is disabled; empty when the form is complete. */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }
}
