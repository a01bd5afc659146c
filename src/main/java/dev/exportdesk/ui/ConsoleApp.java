package dev.exportdesk.ui;

import dev.exportdesk.access.GuardedEngine;
import dev.exportdesk.access.User;
import dev.exportdesk.access.UserService;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.store.Workspace;
import dev.exportdesk.ui.login.LoginView;
import dev.exportdesk.ui.login.LoginViewModel;
import dev.exportdesk.ui.shell.ShellView;
import java.nio.file.Path;
import java.time.Clock;
import java.util.prefs.Preferences;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.stage.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's composition root: opens the workspace, asks who is there (creating the first
 * admin on first start), builds the engine services for that user and hands everything to the
 * screens through constructors. Nothing here is static or global.
 */
public final class ConsoleApp extends Application {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleApp.class);
    private Workspace workspace;
    private FxTaskRunner tasks;
    private ShellView shell;
    private LayoutReport layoutReport;

    @Override
    public void start(Stage stage) {
        Path root = Path.of(getParameters().getNamed().get("workspace"));
        try {
            workspace = Workspace.open(root);
        } catch (RuntimeException e) {
            LOG.error("cannot open workspace {}", root, e);
            Alert a = new Alert(Alert.AlertType.ERROR, ErrorText.summary(e));
            a.setHeaderText("The workspace " + root + " cannot be opened");
            a.showAndWait();
            Platform.exit();
            return;
        }
        tasks = new FxTaskRunner(4);
        Preferences prefs = Preferences.userRoot().node("dev/exportdesk/console");
        UserService users = new UserService(workspace.store(), Clock.systemUTC());
        EngineContext base = EngineContext.forWorkspace(workspace, System.getenv(), Clock.systemUTC(), "console",
                EngineContext.Sleeper.REAL);
        showSignIn(stage, root, base, users, prefs);
        layoutReport = LayoutReport.fromSystemProperty(
                () -> shell == null ? "SIGN_IN" : shell.model().screenProperty().get().name()).orElse(null);
        if (layoutReport != null) {
            layoutReport.start();
        }
    }

    private void showSignIn(Stage stage, Path root, EngineContext base, UserService users, Preferences prefs) {
        LoginViewModel login = new LoginViewModel(users, tasks, users.needsFirstAdmin(),
                user -> openConsole(stage, root, base, users, user, prefs));
        stage.setTitle("ExportDesk — sign in");
        stage.setScene(new Scene(new LoginView(login).load(), 420, 360));
        stage.getScene().getStylesheets().add(getClass().getResource(Styles.BASE_STYLESHEET).toExternalForm());
        // some window managers (openbox) otherwise map the window at 200x200, clipping the password fields
        stage.setMinWidth(420);
        stage.setMinHeight(360);
        stage.sizeToScene();
        stage.centerOnScreen();
        stage.show();
    }

    private void openConsole(Stage signIn, Path root, EngineContext base, UserService users, User user,
                             Preferences prefs) {
        // a window of its own, given its size before it is mapped: put into the sign-in window, the
        // console resized a mapped window, and openbox now and then kept the sign-in form's 420 px or
        // the shell's preferred 1167x1026 instead of the restored size (RealWindowSmokeIT)
        Stage stage = new Stage();
        GuardedEngine engine = new GuardedEngine(user, base);
        FxDialogService dialogs = new FxDialogService(stage, FolderOpener.forThisDesktop());
        ConsoleContext context = new ConsoleContext(root, engine, tasks, dialogs, new RunEvents(Platform::runLater),
                Platform::runLater, Clock.systemUTC());
        shell = ConsoleWindow.show(stage, context, tasks, prefs);
        signIn.close();
        shell.onSignOut(() -> {
            // the console's size is kept for the next sign-in (the shell has stopped already)
            new WindowState(prefs).save(stage);
            stage.setOnHiding(null);
            shell = null;
            tasks.run(() -> {
                users.signOut(user);
                return null;
            }, done -> { }, e -> LOG.warn("sign-out not audited: {}", e.toString()));
            // a fresh window too: the closed sign-in window, shown again, came back at the screen's
            // corner without its frame
            showSignIn(new Stage(), root, base, users, prefs);
            stage.close();
        });
        shell.exports().model().offerResumeOfUnfinished();
        // the console holds the workspace lock, so cron's run --due / verify --due / ack cannot: do their work
        shell.scheduler().start();
    }

    @Override
    public void stop() {
        if (layoutReport != null) {
            layoutReport.stop();
        }
        if (shell != null) {
            shell.stop();
        }
        if (tasks != null) {
            tasks.close();
        }
        if (workspace != null) {
            workspace.close();
        }
    }
}
