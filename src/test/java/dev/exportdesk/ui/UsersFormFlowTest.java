package dev.exportdesk.ui;

import static dev.exportdesk.ui.ConsoleTestSupport.await;
import static dev.exportdesk.ui.ConsoleTestSupport.fx;
import static dev.exportdesk.ui.ConsoleTestSupport.fxGet;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import javafx.geometry.Bounds;
import javafx.scene.Node;
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
 * The new-user form says what is wrong with a name right under the name field, keeps both
 * passwords while the name is fixed, and empties itself once the user exists.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UsersFormFlowTest extends ConsoleFlowTest {
    private static final String SECRET = "a long initial secret";

    @Start
    void start(Stage stage) throws Exception {
        fixture = ConsoleFixture.open(dir, 0);
        openConsole(stage, fixture.admin, "USERS");
    }

    private static Bounds bounds(FxRobot robot, String id) {
        return fxGet(() -> {
            Node n = robot.lookup(id).query();
            return n.localToScene(n.getLayoutBounds());
        });
    }

    private static String password(FxRobot robot, String id) {
        return fxGet(() -> robot.lookup(id).queryAs(PasswordField.class).getText());
    }

    @Test
    void aBadNameIsSaidUnderTheNameAndThePasswordsStay(FxRobot robot) {
        var users = shell.users().model();
        await(20, "users listed", () -> users.accounts().size() == 1);
        robot.clickOn("#newPasswordField").write(SECRET);
        robot.clickOn("#newRepeatField").write(SECRET);
        robot.clickOn("#newNameField").write("Ada Lovelace");
        await(5, "name error shown", () -> robot.lookup("#newNameError").queryAs(Label.class).isVisible());
        assertThat(fxGet(() -> robot.lookup("#newNameError").queryAs(Label.class).getText()))
                .startsWith("User names are 2-64 lowercase letters");
        Bounds field = bounds(robot, "#newNameField");
        Bounds error = bounds(robot, "#newNameError");
        assertThat(error.getMinY()).as("right under the name field").isBetween(field.getMaxY(), field.getMaxY() + 8);
        assertThat(error.getMinX()).isEqualTo(field.getMinX());
        assertThat(fxGet(() -> robot.lookup("#newProblemLabel").queryAs(Label.class).getText()))
                .as("said once").isEmpty();
        assertThat(fxGet(() -> robot.lookup("#createButton").queryButton().isDisabled())).isTrue();
        fx(() -> Screenshots.take(stage.getScene(), "users-name-error"));

        fx(() -> robot.lookup("#newNameField").queryAs(javafx.scene.control.TextField.class).clear());
        robot.clickOn("#newNameField").write("ada");
        await(5, "name error gone", () -> !robot.lookup("#newNameError").queryAs(Label.class).isVisible());
        assertThat(password(robot, "#newPasswordField")).isEqualTo(SECRET);
        assertThat(password(robot, "#newRepeatField")).isEqualTo(SECRET);
        robot.clickOn("#createButton");
        await(20, "created", () -> users.accounts().size() == 2);
        assertThat(password(robot, "#newPasswordField") + password(robot, "#newRepeatField")).isEmpty();
    }
}
