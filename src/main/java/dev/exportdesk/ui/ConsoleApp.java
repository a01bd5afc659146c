package dev.exportdesk.ui;

import dev.exportdesk.engine.ContractService;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.engine.StatusService;
import dev.exportdesk.source.SourceConnector;
import dev.exportdesk.store.Workspace;
import dev.exportdesk.ui.shell.ShellView;
import dev.exportdesk.ui.shell.ShellViewModel;
import java.nio.file.Path;
import java.time.Clock;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;

/**
 * The console's composition root: opens the workspace, builds the engine services and hands them
 * to view models through constructors. (A first shell; the full console is issue #6.)
 */
public final class ConsoleApp extends Application {
    private Workspace workspace;

    @Override
    public void start(Stage stage) {
        Path root = Path.of(getParameters().getNamed().get("workspace"));
        workspace = Workspace.open(root);
        EngineContext ctx = new EngineContext(workspace.store(), workspace.stagingDir(),
                new SourceConnector(System.getenv()), Clock.systemUTC(),
                System.getProperty("user.name", "unknown") + "@console", EngineContext.Sleeper.REAL);
        ContractService contracts = new ContractService(ctx);
        ShellViewModel model = new ShellViewModel(root.toString(), new StatusService(ctx, contracts),
                new FxTaskRunner());
        Scene scene = new Scene(new ShellView(model).load(), 900, 560);
        scene.getStylesheets().add(getClass().getResource("/styles/exportdesk.css").toExternalForm());
        stage.setTitle("ExportDesk — " + root);
        stage.setScene(scene);
        stage.show();
        model.refresh();
    }

    @Override
    public void stop() {
        if (workspace != null) {
            workspace.close();
        }
        Platform.exit();
    }
}
