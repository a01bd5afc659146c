package dev.exportdesk.ui;

import static dev.exportdesk.ui.ConsoleTestSupport.await;
import static dev.exportdesk.ui.ConsoleTestSupport.fx;
import static dev.exportdesk.ui.ConsoleTestSupport.fxGet;
import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.access.Role;
import dev.exportdesk.engine.ProgressListener;
import dev.exportdesk.engine.runs.RunResult;
import dev.exportdesk.ui.runs.RunDetailViewModel;
import dev.exportdesk.ui.shell.ShellViewModel.Screen;
import java.util.concurrent.TimeUnit;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * New window: the selected run opens in a window of its own while the main window keeps the
 * Exports screen, so the runs table and the chunk table are watched at once. The window loads the
 * run's chunks, follows the theme, listens to engine events only while open, and Esc closes it.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RunWindowFlowTest extends ConsoleFlowTest {
    private RunResult run;

    @Start
    void start(Stage primary) throws Exception {
        fixture = ConsoleFixture.open(dir, 6_000);
        run = fixture.engine(fixture.admin).run("orders-to-acme", ProgressListener.NONE);
        openConsole(primary, fixture.user("olga", Role.OPERATOR), "EXPORTS");
    }

    @Test
    void aRunOpensInAWindowBesideTheRunsTable(FxRobot robot) {
        var exports = shell.exports().model();
        await(20, "runs listed", () -> !exports.runs().isEmpty());
        int listenersBefore = fxGet(() -> shell.context().events().listenerCount());
        fx(() -> exports.selectedRunProperty().set(exports.runs().get(0)));
        robot.clickOn("#windowButton");
        await(20, "a second window", () -> shell.runWindows().size() == 1);
        Stage window = fxGet(() -> shell.runWindows().get(0));
        RunDetailViewModel detail = fxGet(() -> shell.runWindowModel(window));
        await(20, "its chunks loaded", () -> !detail.loadingProperty().get()
                && detail.allChunks().size() == run.run().chunkCount());
        assertThat(fxGet(() -> shell.model().screenProperty().get())).as("the main window keeps Exports")
                .isEqualTo(Screen.EXPORTS);
        assertThat(fxGet(window::getTitle)).startsWith("ExportDesk — orders-to-acme #1 · COMPLETED");
        assertThat(fxGet(() -> shell.context().events().listenerCount())).as("the window listens while open")
                .isEqualTo(listenersBefore + 1);
        fx(() -> Screenshots.take(window.getScene(), "run-window"));

        fx(() -> shell.model().toggleTheme());
        assertThat(fxGet(() -> window.getScene().getStylesheets().stream().anyMatch(s -> s.endsWith(Styles.DARK_STYLESHEET
                .substring(Styles.DARK_STYLESHEET.lastIndexOf('/')))))).as("the window follows the theme").isTrue();
        fx(() -> shell.model().toggleTheme());

        fx(() -> window.requestFocus());
        WaitForAsyncUtils.waitForFxEvents();
        robot.targetWindow(window).press(KeyCode.ESCAPE).release(KeyCode.ESCAPE);
        await(20, "Esc closed it", () -> shell.runWindows().isEmpty() && !window.isShowing());
        assertThat(fxGet(() -> shell.context().events().listenerCount())).as("and it stopped listening")
                .isEqualTo(listenersBefore);

        // Shift+Enter in the runs table opens it again; closing the console closes it
        robot.targetWindow(stage);
        javafx.scene.Node runs = robot.lookup("#runsTable").query();
        fx(() -> robot.lookup("#runsTable").queryTableView().getSelectionModel().select(0));
        fx(() -> stage.requestFocus()); // Monocle does not give the focus back when the other window closes
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn(runs).push(KeyCode.SHIFT, KeyCode.ENTER);
        await(20, "Shift+Enter opened a window", () -> shell.runWindows().size() == 1);
        Stage again = fxGet(() -> shell.runWindows().get(0));
        fx(() -> stage.close());
        await(20, "closed with the console", () -> !again.isShowing() && shell.runWindows().isEmpty());
    }
}
