package dev.exportdesk.ui;

import static dev.exportdesk.ui.ConsoleTestSupport.await;
import static dev.exportdesk.ui.ConsoleTestSupport.fx;
import static dev.exportdesk.ui.ConsoleTestSupport.fxGet;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The Exports split holds across restarts: the divider saved at 0.296 comes back at 0.296 after
 * three restarts (it crept 0.296 → 0.235 → 0.154) and after the window was small for a moment; at
 * 1024×700 both the contracts table and the runs table show at least three rows; a drag of the
 * divider is kept.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LayoutFlowTest extends ConsoleFlowTest {
    private static final String KEY = "split.exports.0";

    @Start
    void start(Stage stage) throws Exception {
        fixture = ConsoleFixture.open(dir, 500);
        this.stage = stage;
        tasks = new FxTaskRunner(4);
        prefs = ConsoleTestSupport.freshPrefs();
        prefs.putDouble("window.width", 1024);
        prefs.putDouble("window.height", 700);
        prefs.put("screen", "EXPORTS");
        prefs.putDouble(KEY, 0.296);
        shell = ConsoleTestSupport.openConsole(stage, fixture, fixture.admin, tasks, dialogs, prefs);
    }

    private double divider() {
        return fxGet(() -> ((SplitPane) stage.getScene().lookup("#split")).getDividerPositions()[0]);
    }

    /** Rows the table has room for below its header. */
    private int rowsShown(String id) {
        return fxGet(() -> {
            TableView<?> t = (TableView<?>) stage.getScene().lookup(id);
            double header = t.lookup(".column-header-background").getLayoutBounds().getHeight();
            return (int) ((t.getHeight() - header) / t.getFixedCellSize());
        });
    }

    @Test
    void theDividerComesBackWhereItWasLeftAndBothTablesShowRows(FxRobot robot) {
        await(20, "contracts listed", () -> shell.exports().model().schedule().size() == 2);
        List<Double> seen = new ArrayList<>();
        for (int restart = 0; restart < 3; restart++) {
            seen.add(divider());
            // a window manager may map the window small first (openbox did, at 200x200) and then size it
            fx(() -> stage.setHeight(320));
            await(5, "laid out small", () -> stage.getScene().getHeight() <= 320);
            fx(() -> stage.setHeight(700));
            await(5, "laid out again", () -> stage.getScene().getHeight() > 600);
            seen.add(divider());
            assertThat(rowsShown("#scheduleTable")).as("contract rows at 1024x700").isGreaterThanOrEqualTo(3);
            assertThat(rowsShown("#runsTable")).as("run rows at 1024x700").isGreaterThanOrEqualTo(3);
            fx(() -> stage.close());
            assertThat(prefs.getDouble(KEY, -1)).as("saved after restart " + restart).isCloseTo(0.296,
                    org.assertj.core.data.Offset.offset(0.001));
            shell = fxGet(() -> ConsoleTestSupport.openConsole(stage, fixture, fixture.admin, tasks, dialogs, prefs));
            await(20, "contracts listed again", () -> shell.exports().model().schedule().size() == 2);
        }
        assertThat(seen).as("divider at each start").allSatisfy(d -> assertThat(d).isCloseTo(0.296,
                org.assertj.core.data.Offset.offset(0.001)));
        fx(() -> Screenshots.take(stage.getScene(), "exports-1024x700"));

        // a drag of the divider is what is kept
        robot.drag(robot.lookup("#split > .split-pane-divider").<javafx.scene.Node>query(), javafx.scene.input.MouseButton.PRIMARY).dropBy(0, 80);
        double dragged = divider();
        assertThat(dragged).isGreaterThan(0.38);
        fx(() -> stage.close());
        assertThat(prefs.getDouble(KEY, -1)).isCloseTo(dragged, org.assertj.core.data.Offset.offset(0.001));
        shell = fxGet(() -> ConsoleTestSupport.openConsole(stage, fixture, fixture.admin, tasks, dialogs, prefs));
        await(20, "contracts listed again", () -> shell.exports().model().schedule().size() == 2);
        assertThat(divider()).isCloseTo(dragged, org.assertj.core.data.Offset.offset(0.002));
    }
}
