package dev.exportdesk.ui;

import static dev.exportdesk.ui.ConsoleTestSupport.await;
import static dev.exportdesk.ui.ConsoleTestSupport.fx;
import static dev.exportdesk.ui.ConsoleTestSupport.fxGet;
import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.access.Role;
import dev.exportdesk.store.RunState;
import dev.exportdesk.ui.shell.ShellViewModel.Screen;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The keyboard shortcuts, typed as keys into the real console (Ctrl+1…5 switch screens, Ctrl+F
 * focuses the screen's search, Ctrl+R runs the selected contract, Enter opens a run and Esc goes
 * back, F5 re-reads, Ctrl+Shift+D toggles the theme), the Users screen as an admin sees it, and the
 * theme surviving a restart: dark chosen, console and workspace closed, both opened again on the
 * same preferences → dark again.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ShortcutsAndThemeFlowTest extends ConsoleFlowTest {
    private static final String DARK_CSS = ShortcutsAndThemeFlowTest.class.getResource(Styles.DARK_STYLESHEET)
            .toExternalForm();

    @Start
    void start(Stage stage) throws Exception {
        fixture = ConsoleFixture.open(dir, 3_000);
        fixture.user("ada", Role.AUDITOR);
        openConsole(stage, fixture.admin, "EXPORTS");
    }

    private Screen screen() {
        return fxGet(() -> shell.model().screenProperty().get());
    }

    private boolean darkApplied() {
        return fxGet(() -> stage.getScene().getStylesheets().contains(DARK_CSS));
    }

    @Test
    void shortcutsTriggerTheirActions(FxRobot robot) {
        var exports = shell.exports().model();
        await(20, "contracts listed", () -> exports.schedule().size() == 2);
        robot.clickOn("#scheduleTable");
        robot.push(KeyCode.CONTROL, KeyCode.DIGIT4);
        assertThat(screen()).isEqualTo(Screen.AUDIT);
        robot.push(KeyCode.CONTROL, KeyCode.F);
        assertThat(fxGet(() -> robot.lookup("#textField").query().isFocused())).as("Ctrl+F: audit search").isTrue();
        robot.push(KeyCode.CONTROL, KeyCode.DIGIT3);
        assertThat(screen()).isEqualTo(Screen.DASHBOARD);
        robot.push(KeyCode.CONTROL, KeyCode.DIGIT1);
        assertThat(screen()).isEqualTo(Screen.CONTRACTS);

        robot.push(KeyCode.CONTROL, KeyCode.DIGIT5);
        assertThat(screen()).isEqualTo(Screen.USERS);
        var users = shell.users().model();
        await(10, "users listed", () -> users.accounts().size() == 2);
        fx(() -> {
            users.newNameProperty().set("otto");
            users.newRoleProperty().set(Role.OPERATOR);
            users.newPasswordProperty().set(ConsoleFixture.PASSWORD);
            users.newPasswordRepeatProperty().set(ConsoleFixture.PASSWORD);
        });
        robot.clickOn("#createButton");
        await(20, "user created", () -> users.accounts().size() == 3);
        fx(() -> robot.lookup("#userTable").queryTableView().getSelectionModel().select(0));
        fx(() -> Screenshots.take(stage.getScene(), "users"));
        assertThat(fixture.users.signIn("otto", ConsoleFixture.PASSWORD.toCharArray()).role()).isEqualTo(Role.OPERATOR);

        // Ctrl+R on Exports runs the selected contract; Enter opens the selected run, Esc comes back
        robot.push(KeyCode.CONTROL, KeyCode.DIGIT2);
        assertThat(screen()).isEqualTo(Screen.EXPORTS);
        fx(() -> exports.selectedContractProperty().set(exports.schedule().stream()
                .filter(s -> s.contract().equals("orders-to-acme")).findFirst().orElseThrow()));
        robot.push(KeyCode.CONTROL, KeyCode.R);
        await(60, "run completed", () -> !exports.runs().isEmpty() && !exports.isRunning("orders-to-acme")
                && exports.runs().get(0).run().state() == RunState.COMPLETED);
        Node runs = robot.lookup("#runsTable").query();
        fx(() -> robot.lookup("#runsTable").queryTableView().getSelectionModel().select(0));
        robot.clickOn(runs).push(KeyCode.ENTER);
        assertThat(screen()).isEqualTo(Screen.RUN);
        robot.push(KeyCode.ESCAPE);
        assertThat(screen()).isEqualTo(Screen.EXPORTS);

        // F5 re-reads the screen: a user created elsewhere shows up without leaving it
        robot.push(KeyCode.CONTROL, KeyCode.DIGIT5);
        fixture.user("uma", Role.STEWARD);
        robot.push(KeyCode.F5);
        await(10, "F5 re-read the users", () -> users.accounts().size() == 4);

        assertThat(darkApplied()).isFalse();
        robot.push(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.D);
        assertThat(darkApplied()).as("Ctrl+Shift+D: dark").isTrue();
        robot.push(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.D);
        assertThat(darkApplied()).as("and back").isFalse();
    }

    @Test
    void theChosenThemeSurvivesARestart(FxRobot robot) throws Exception {
        assertThat(darkApplied()).isFalse();
        robot.clickOn("#themeButton");
        assertThat(darkApplied()).isTrue();
        robot.push(KeyCode.CONTROL, KeyCode.DIGIT4);
        assertThat(screen()).isEqualTo(Screen.AUDIT);

        // restart: the console window closes, the workspace is closed, both are opened again
        fx(() -> stage.close());
        tasks.close();
        fixture.close();
        fixture = ConsoleFixture.open(dir, 3_000);
        tasks = new FxTaskRunner(4);
        shell = fxGet(() -> ConsoleTestSupport.openConsole(stage, fixture, fixture.admin, tasks, dialogs, prefs));
        assertThat(darkApplied()).as("dark again after the restart").isTrue();
        assertThat(fxGet(() -> robot.lookup("#themeButton").queryButton().getText())).isEqualTo("Light theme");
        assertThat(screen()).as("and on the last screen").isEqualTo(Screen.AUDIT);
        await(20, "audit log read", () -> !shell.audit().model().entries().isEmpty());
        fx(() -> Screenshots.take(stage.getScene(), "audit-dark"));
    }
}
