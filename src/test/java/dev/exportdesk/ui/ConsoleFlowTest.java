package dev.exportdesk.ui;

import static dev.exportdesk.ui.ConsoleTestSupport.fx;

import dev.exportdesk.access.User;
import dev.exportdesk.ui.shell.ShellView;
import java.nio.file.Path;
import java.util.prefs.Preferences;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every TestFX flow test shares: a workspace fixture, the console opened on the primary stage
 * for one user, and the teardown that leaves the shared stage and preferences clean.
 */
abstract class ConsoleFlowTest implements FxThreadBounds {
    @TempDir
    static Path dir;
    protected ConsoleFixture fixture;
    protected FxTaskRunner tasks;
    protected final RecordingDialogs dialogs = new RecordingDialogs();
    protected Preferences prefs;
    protected ShellView shell;
    protected Stage stage;

    /** Opens the console for {@code user} on {@code screen} (null: the default screen). */
    protected void openConsole(Stage primary, User user, String screen) {
        this.stage = primary;
        tasks = new FxTaskRunner(4);
        prefs = ConsoleTestSupport.freshPrefs();
        if (screen != null) {
            prefs.put("screen", screen);
        }
        shell = ConsoleTestSupport.openConsole(primary, fixture, user, tasks, dialogs, prefs);
    }

    @AfterEach
    void closeConsole() {
        fx(() -> {
            stage.close();
            stage.setOnHiding(null); // TestFX reuses one primary stage across test classes
        });
        tasks.close();
        fixture.close();
        ConsoleTestSupport.dropPrefs(prefs);
    }
}
