package dev.exportdesk.ui;

import dev.exportdesk.ui.shell.ShellView;
import java.util.prefs.Preferences;
import javafx.scene.Scene;
import javafx.stage.Stage;

/** Puts the console's shell into a stage, with remembered size and layout. Used by the app and by tests. */
public final class ConsoleWindow {
    private ConsoleWindow() {
    }

    public static ShellView show(Stage stage, ConsoleContext context, FxTaskRunner tasks, Preferences prefs) {
        ShellView shell = new ShellView(context, tasks, prefs);
        WindowState state = new WindowState(prefs);
        Scene scene = new Scene(shell.root());
        shell.install(scene);
        // size first: the sign-in window was sized to its scene, so a new scene on it asked the window
        // manager for the shell's preferred size (1167x1026 on a 1024x700 screen) before the restored
        // one, and openbox now and then kept the first answer (seen by RealWindowSmokeIT)
        state.restore(stage);
        stage.setScene(scene);
        stage.setTitle("ExportDesk — " + context.workspace() + " — " + context.engine().user().name());
        stage.setOnHiding(e -> {
            state.save(stage);
            shell.stop();
        });
        stage.show();
        return shell;
    }
}
