package dev.exportdesk.ui;

import static dev.exportdesk.ui.ConsoleTestSupport.await;
import static dev.exportdesk.ui.ConsoleTestSupport.fx;
import static dev.exportdesk.ui.ConsoleTestSupport.fxGet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.exportdesk.access.Role;
import dev.exportdesk.access.User;
import dev.exportdesk.access.UserService;
import dev.exportdesk.ui.login.LoginView;
import dev.exportdesk.ui.login.LoginViewModel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * An admin resets ada's password from the Users screen (the dialog checks the temporary password
 * as it is typed), then ada signs in with it: the sign-in form asks for a new password before the
 * console opens, and only the new one works afterwards.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PasswordResetFlowTest extends ConsoleFlowTest {
    private static final String TEMPORARY = "temporary 12345";
    private static final String CHOSEN = "ada chose this one";

    @Start
    void start(Stage stage) throws Exception {
        fixture = ConsoleFixture.open(dir, 0);
        fixture.user("ada", Role.AUDITOR);
        fixture.user("otto", Role.OPERATOR);
        openConsole(stage, fixture.admin, "USERS");
    }

    private static String text(FxRobot robot, String id) {
        return fxGet(() -> robot.lookup(id).queryAs(Label.class).getText());
    }

    @Test
    void anAdminResetsAPasswordAndTheUserChoosesANewOneAtSignIn(FxRobot robot) {
        var users = shell.users().model();
        await(20, "users listed", () -> users.accounts().size() == 3);
        fx(() -> robot.lookup("#userTable").queryTableView().getSelectionModel().select(0));
        assertThat(fxGet(() -> users.selectedProperty().get().user().name())).isEqualTo("ada");

        robot.clickOn("#resetButton");
        await(10, "reset dialog", () -> robot.lookup("#resetPasswordField").tryQuery().isPresent());
        robot.clickOn("#resetPasswordField").write("too short");
        assertThat(text(robot, "#resetProblemLabel")).isEqualTo("The temporary password needs at least 10 characters.");
        assertThat(fxGet(() -> robot.lookup("#resetConfirmButton").queryButton().isDisabled())).isTrue();
        fx(() -> robot.lookup("#resetPasswordField").queryAs(PasswordField.class).clear());
        robot.clickOn("#resetPasswordField").write(TEMPORARY);
        robot.clickOn("#resetRepeatField").write(TEMPORARY + "?");
        assertThat(text(robot, "#resetProblemLabel")).isEqualTo("The two passwords differ.");
        robot.eraseText(1);
        assertThat(text(robot, "#resetProblemLabel")).isEmpty();
        fx(() -> Screenshots.take(robot.lookup("#resetPasswordField").query().getScene(), "users-reset-dialog"));
        robot.clickOn("#resetConfirmButton");
        await(30, "reset done", () -> users.messageProperty().get().startsWith("ada has a temporary password"));
        await(10, "list re-read", () -> users.accounts().stream().anyMatch(a -> a.user().name().equals("ada")
                && a.mustChangePassword()));
        assertThat(robot.lookup("#resetPasswordField").tryQuery()).as("dialog closed").isEmpty();
        fx(() -> robot.lookup("#userTable").queryTableView().getSelectionModel().select(0));
        fx(() -> Screenshots.take(stage.getScene(), "users-password-reset"));

        // ada signs in on the temporary password: the form asks for a new one first
        AtomicReference<User> signedIn = new AtomicReference<>();
        LoginViewModel login = fxGet(() -> new LoginViewModel(fixture.users, tasks, false, signedIn::set));
        Stage loginStage = fxGet(() -> {
            Stage s = new Stage();
            Scene scene = new Scene(new LoginView(login).load(), 420, 360);
            scene.getStylesheets().add(getClass().getResource(Styles.BASE_STYLESHEET).toExternalForm());
            s.setScene(scene);
            s.show();
            return s;
        });
        try {
            robot.doubleClickOn("#login-name").eraseText(5).write("ada");
            robot.clickOn("#login-password").write(TEMPORARY);
            robot.clickOn("#submitButton");
            await(30, "asked for a new password", () -> login.mustChangeProperty().get());
            assertThat(signedIn.get()).isNull();
            assertThat(fxGet(() -> robot.lookup("#login-password").query().isVisible())).isFalse();
            robot.clickOn("#login-new").write(CHOSEN);
            assertThat(fxGet(() -> robot.lookup("#submitButton").queryButton().isDisabled())).isTrue();
            robot.clickOn("#login-new-repeat").write(CHOSEN);
            fx(() -> Screenshots.take(loginStage.getScene(), "login-new-password"));
            robot.clickOn("#submitButton");
            await(30, "signed in", () -> signedIn.get() != null);
        } finally {
            fx(loginStage::close);
        }
        assertThat(signedIn.get().name()).isEqualTo("ada");
        assertThat(fixture.users.signIn("ada", CHOSEN.toCharArray()).role()).isEqualTo(Role.AUDITOR);
        assertThatThrownBy(() -> fixture.users.signIn("ada", TEMPORARY.toCharArray()))
                .isInstanceOf(UserService.AuthenticationException.class);
    }
}
