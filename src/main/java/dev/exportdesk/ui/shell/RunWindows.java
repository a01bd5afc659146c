package dev.exportdesk.ui.shell;

import dev.exportdesk.ui.ConsoleContext;
import dev.exportdesk.ui.runs.RunDetailView;
import dev.exportdesk.ui.runs.RunDetailViewModel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javafx.beans.binding.Bindings;
import javafx.scene.Scene;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.stage.Stage;

/**
 * Runs opened in windows of their own beside the main window, so an operator can watch the runs
 * table and a running run's chunk table at once. Each window follows the main window's stylesheets
 * (theme), has the run detail's own shortcuts (Esc closes, F5 reloads, Ctrl+F searches), listens to
 * engine events only while open, and closes with the console.
 */
final class RunWindows {
    private final ConsoleContext context;
    private final Map<Stage, RunDetailViewModel> open = new LinkedHashMap<>();

    RunWindows(ConsoleContext context) {
        this.context = context;
    }

    /** Opens {@code runId} in a new window over {@code main}; returns its view model. */
    RunDetailViewModel open(String runId, Scene main) {
        RunDetailViewModel model = new RunDetailViewModel(context, runId);
        Stage stage = new Stage();
        RunDetailView view = new RunDetailView(model, stage::close, "Close (Esc)");
        model.activate(); // the first page's read starts before the window is built
        Scene scene = new Scene(view.root(), 1000, 600);
        Bindings.bindContent(scene.getStylesheets(), main.getStylesheets());
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.ESCAPE), stage::close);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F5), model::reload);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN),
                view::focusSearch);
        stage.setScene(scene);
        stage.titleProperty().bind(Bindings.concat("ExportDesk — ", model.summaryProperty()));
        stage.setOnHidden(e -> {
            model.deactivate();
            Bindings.unbindContent(scene.getStylesheets(), main.getStylesheets());
            open.remove(stage);
        });
        open.put(stage, model);
        stage.show();
        return model;
    }

    /** The windows open now, oldest first. */
    List<Stage> windows() {
        return List.copyOf(open.keySet());
    }

    RunDetailViewModel model(Stage window) {
        return open.get(window);
    }

    void closeAll() {
        List.copyOf(open.keySet()).forEach(Stage::close);
    }
}
