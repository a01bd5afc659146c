package dev.exportdesk.ui;

import static dev.exportdesk.ui.ConsoleTestSupport.await;
import static dev.exportdesk.ui.ConsoleTestSupport.fx;
import static dev.exportdesk.ui.ConsoleTestSupport.fxGet;
import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.testing.SftpServer;
import dev.exportdesk.ui.destinations.DestinationForm.Field;
import dev.exportdesk.ui.destinations.DestinationRow;
import dev.exportdesk.ui.destinations.DestinationsViewModel;
import dev.exportdesk.ui.shell.ShellViewModel.Screen;
import java.nio.file.Files;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextInputControl;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * An administrator who only has the console sets up a partner's SFTP drop: Ctrl+7 (or the Sources
 * screen's Destinations button) opens Destinations, the form shows the SFTP fields, a missing password is said at the password field
 * (Add disabled), the password typed into a masked field makes it addable, the destination is
 * listed, its field emptied, and Test writes, reads back and deletes a probe on the real server.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DestinationsFlowTest extends ConsoleFlowTest {
    static final String PASSWORD = "FAKE-FLOW-PASSWORD-0b8e";
    SftpServer sftp;

    @Start
    void start(Stage stage) throws Exception {
        fixture = ConsoleFixture.open(dir, 0);
        sftp = SftpServer.start(Files.createDirectories(dir.resolve("sftp")), PASSWORD);
        openConsole(stage, fixture.admin, "EXPORTS");
    }

    @AfterEach
    void stopServer() throws Exception {
        sftp.close();
    }

    private static String id(Field f) {
        return "#destination-" + f.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private void type(FxRobot robot, Field f, String text) {
        TextInputControl field = robot.lookup(id(f)).queryAs(TextInputControl.class);
        fx(field::clear);
        robot.clickOn(field).write(text);
    }

    private String problem(FxRobot robot, Field f) {
        return fxGet(() -> robot.lookup(id(f) + "-problem").queryAs(Label.class).getText());
    }

    @Test
    void anAdministratorAddsAnSftpDestinationWithItsPassword(FxRobot robot) {
        robot.push(KeyCode.CONTROL, KeyCode.DIGIT7);
        assertThat(fxGet(() -> shell.model().screenProperty().get())).isEqualTo(Screen.DESTINATIONS);
        // no header tab of its own (no room at 1024 px): the Sources tab stays lit, a button on each screen switches
        robot.clickOn("#sourcesButton");
        assertThat(fxGet(() -> shell.model().screenProperty().get())).isEqualTo(Screen.SOURCES);
        robot.clickOn("#destinationsButton");
        assertThat(fxGet(() -> shell.model().screenProperty().get())).isEqualTo(Screen.DESTINATIONS);
        assertThat(fxGet(() -> robot.lookup("#sourcesTab").queryAs(javafx.scene.control.ToggleButton.class)
                .isSelected())).isTrue();
        DestinationsViewModel m = shell.destinations().model();
        assertThat(fxGet(() -> robot.lookup(id(Field.BUCKET)).query().isVisible())).as("S3 fields hidden").isFalse();
        assertThat(fxGet(() -> (Object) robot.lookup(id(Field.PASSWORD)).query())).isInstanceOf(PasswordField.class);

        type(robot, Field.NAME, "acme-sftp");
        type(robot, Field.HOST, "127.0.0.1");
        type(robot, Field.PORT, Integer.toString(sftp.port()));
        type(robot, Field.USER, SftpServer.USER);
        type(robot, Field.PATH, "/inbound");
        type(robot, Field.HOST_KEY, sftp.fingerprint());
        await(10, "the missing password said at its field", () -> problem(robot, Field.PASSWORD) != null
                && problem(robot, Field.PASSWORD).contains("give a password"));
        assertThat(fxGet(() -> robot.lookup("#addButton").queryButton().isDisabled())).isTrue();
        fx(() -> Screenshots.take(stage.getScene(), "destinations-errors"));

        type(robot, Field.PASSWORD, PASSWORD);
        await(10, "the form passes", () -> !robot.lookup("#addButton").queryButton().isDisabled());
        robot.clickOn("#addButton");
        await(20, "added and listed", () -> m.rows().stream().anyMatch(r -> r.name().equals("acme-sftp")));
        assertThat(fxGet(() -> robot.lookup("#destinationTable").queryTableView().getItems().stream()
                .map(r -> ((DestinationRow) r).target()).toList()))
                .containsExactly("sftp partner@127.0.0.1:" + sftp.port() + "/inbound");
        await(10, "the password field emptied", () -> robot.lookup(id(Field.PASSWORD))
                .queryAs(PasswordField.class).getText().isEmpty());

        await(10, "selected", () -> !robot.lookup("#testButton").queryButton().isDisabled());
        robot.clickOn("#testButton");
        await(20, "tested", () -> m.messageProperty().get().startsWith("Destination acme-sftp works"));
        fx(() -> Screenshots.take(stage.getScene(), "destinations"));
        assertThat(fxGet(() -> m.messageProperty().get())).doesNotContain(PASSWORD);
    }
}
