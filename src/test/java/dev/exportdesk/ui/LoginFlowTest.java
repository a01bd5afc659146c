package dev.exportdesk.ui;

import static dev.exportdesk.ui.ConsoleTestSupport.await;
import static dev.exportdesk.ui.ConsoleTestSupport.fx;
import static dev.exportdesk.ui.ConsoleTestSupport.fxGet;
import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.access.Role;
import dev.exportdesk.access.User;
import dev.exportdesk.access.UserService;
import dev.exportdesk.store.Workspace;
import dev.exportdesk.ui.login.LoginView;
import dev.exportdesk.ui.login.LoginViewModel;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** First start on an empty workspace: the console asks for the administrator's password (twice) and creates it. */
@ExtendWith(ApplicationExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoginFlowTest implements FxThreadBounds {
    @TempDir
    static Path dir;
    private Workspace workspace;
    private FxTaskRunner tasks;
    private UserService users;
    private final AtomicReference<User> signedIn = new AtomicReference<>();
    private LoginViewModel model;
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        workspace = Workspace.open(dir.resolve("ws"));
        users = new UserService(workspace.store(), Clock.systemUTC());
        tasks = new FxTaskRunner(1);
        model = new LoginViewModel(users, tasks, users.needsFirstAdmin(), signedIn::set);
        Scene scene = new Scene(new LoginView(model).load(), 420, 360);
        scene.getStylesheets().add(getClass().getResource(Styles.BASE_STYLESHEET).toExternalForm());
        stage.setScene(scene);
        stage.show();
    }

    @AfterEach
    void close() {
        fx(() -> {
            stage.close();
            stage.setOnHiding(null); // TestFX reuses one primary stage across test classes
        });
        tasks.close();
        workspace.close();
    }

    @Test
    void firstStartCreatesTheAdministrator(FxRobot robot) {
        assertThat(fxGet(() -> model.firstStartProperty().get())).isTrue();
        robot.clickOn("#login-password").write("too short");
        robot.clickOn("#login-repeat").write("too short");
        fx(() -> Screenshots.take(stage.getScene(), "login-first-start"));
        robot.clickOn("#submitButton");
        await(20, "refusal", () -> model.messageProperty().get().contains("at least 10 characters"));
        fx(() -> {
            model.passwordProperty().set("");
            model.repeatProperty().set("");
        });
        robot.clickOn("#login-password").write("a sturdy passphrase");
        robot.clickOn("#login-repeat").write("a sturdy passphrase!");
        robot.clickOn("#submitButton");
        await(10, "mismatch", () -> model.messageProperty().get().equals("The two passwords differ."));
        fx(() -> model.repeatProperty().set("a sturdy passphrase"));
        robot.clickOn("#submitButton");
        await(30, "signed in", () -> signedIn.get() != null);
        assertThat(signedIn.get().name()).isEqualTo("admin");
        assertThat(signedIn.get().role()).isEqualTo(Role.ADMIN);
        assertThat(users.signIn("admin", "a sturdy passphrase".toCharArray())).isEqualTo(signedIn.get());
    }
}
