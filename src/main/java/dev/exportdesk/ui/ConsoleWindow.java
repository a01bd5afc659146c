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
        stage.setScene(scene);
        state.restore(stage);
        stage.setTitle("ExportDesk — " + context.workspace() + " — " + context.engine().user().name());
        stage.setOnHiding(e -> {
            state.save(stage);
            shell.stop();
        });
        stage.show();
        return shell;
    }
}
