package dev.exportdesk.ui.shell;

import dev.exportdesk.access.GuardedEngine;
import dev.exportdesk.access.SessionEndedException;
import dev.exportdesk.access.User;
import dev.exportdesk.ui.ConsoleContext;
import dev.exportdesk.ui.DialogService;
import dev.exportdesk.ui.TaskRunner;
import java.util.prefs.Preferences;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;

/**
 * The shell: which screen is shown, the theme, and the status bar (workspace, user, store health).
 * The user's role is re-read whenever a screen is shown, because an admin may change it (or end
 * the session) while the console is open.
 */
public final class ShellViewModel {
    /** {@code WORKERS} only while attached to a team store. */
    public enum Screen { CONTRACTS, EXPORTS, RUN, DASHBOARD, AUDIT, USERS, SOURCES, DESTINATIONS, WORKERS }

    static final String HEALTH_TIP = "The state store's file size, its growth over the last day (shown once a "
            + "size sample is an hour old) and the space left on its volume, checked every 15 s.";

    private final GuardedEngine engine;
    private final TaskRunner tasks;
    private final DialogService dialogs;
    private final Preferences prefs;
    private boolean endedShown;
    private final ObjectProperty<Screen> screen = new SimpleObjectProperty<>(Screen.EXPORTS);
    private final BooleanProperty dark = new SimpleBooleanProperty();
    private final ReadOnlyStringWrapper workspace = new ReadOnlyStringWrapper();
    private final ReadOnlyStringWrapper user = new ReadOnlyStringWrapper();
    private final ReadOnlyStringWrapper health = new ReadOnlyStringWrapper("state store: checking…");
    private final ReadOnlyBooleanWrapper healthWarning = new ReadOnlyBooleanWrapper();
    private final ReadOnlyStringWrapper healthTip = new ReadOnlyStringWrapper(HEALTH_TIP);

    public ShellViewModel(ConsoleContext context, Preferences prefs) {
        this.engine = context.engine();
        this.tasks = context.tasks();
        this.dialogs = context.dialogs();
        this.prefs = prefs;
        workspace.set("Workspace " + context.workspace());
        user.set(label(engine.user()));
        dark.set(prefs.getBoolean("theme.dark", false));
        dark.addListener((o, a, b) -> prefs.putBoolean("theme.dark", b));
        Screen kept = parse(prefs.get("screen", Screen.EXPORTS.name()));
        // a team console's last screen, remembered on this desk, means nothing to a solo workspace
        screen.set(kept == Screen.WORKERS && !engine.team().active() ? Screen.EXPORTS : kept);
        screen.addListener((o, a, b) -> {
            if (b != Screen.RUN) {
                prefs.put("screen", b.name());
            }
        });
    }

    private static Screen parse(String s) {
        try {
            Screen v = Screen.valueOf(s);
            return v == Screen.RUN ? Screen.EXPORTS : v;
        } catch (IllegalArgumentException e) {
            return Screen.EXPORTS;
        }
    }

    /** Measures the state store off the UI thread; a warning turns the label into the warning style. */
    public void checkHealth() {
        tasks.run(engine::storeHealth, r -> {
            health.set("state store: " + r.summary());
            healthWarning.set(r.warningText().isPresent());
            healthTip.set(r.warningText().orElse(HEALTH_TIP));
        }, e -> {
            health.set("state store: error");
            healthWarning.set(true);
            healthTip.set("The state store could not be measured: " + e.getMessage());
        });
    }

    /**
     * Re-reads the signed-in user off the UI thread for the status bar. When an admin ended the
     * session, says so once in a dialog; every later action is refused with the same words.
     */
    public void refreshUser() {
        tasks.run(engine::refreshUser, u -> user.set(label(u)), e -> {
            // other failures are the state store's, which the health label already reports
            if (e instanceof SessionEndedException) {
                user.set(engine.user().name() + " — session ended");
                if (!endedShown) {
                    endedShown = true;
                    dialogs.showError("Your session has ended", e);
                }
            }
        });
    }

    private static String label(User u) {
        return u.name() + " (" + u.role().label() + ")";
    }

    /** True when the console is attached to a team store: the Workers screen is there. */
    public boolean teamMode() {
        return engine.team().active();
    }

    public void toggleTheme() {
        dark.set(!dark.get());
    }

    public ObjectProperty<Screen> screenProperty() {
        return screen;
    }

    public BooleanProperty darkProperty() {
        return dark;
    }

    public ReadOnlyStringProperty workspaceProperty() {
        return workspace.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty userProperty() {
        return user.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty healthProperty() {
        return health.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty healthWarningProperty() {
        return healthWarning.getReadOnlyProperty();
    }

    /** What the health label means, or the warning's whole sentence: the label's tooltip. */
    public ReadOnlyStringProperty healthTipProperty() {
        return healthTip.getReadOnlyProperty();
    }
}
