package dev.exportdesk.ui;

import static dev.exportdesk.ui.ConsoleTestSupport.await;
import static dev.exportdesk.ui.ConsoleTestSupport.fx;
import static dev.exportdesk.ui.ConsoleTestSupport.fxGet;
import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.access.Role;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Long names at 1024×700: the status bar's health, schedule and user keep their whole words (only
 * the workspace path gives way, keeping its end); what each label holds is compared with what it
 * draws.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LongNamesFlowTest extends ConsoleFlowTest {
    private static final String LONG_USER = "maximilian.oberhausen-wittgenstein.operations-nightshift";

    @Start
    void start(Stage stage) throws Exception {
        fixture = ConsoleFixture.open(dir, 0);
        openConsole(stage, fixture.user(LONG_USER, Role.OPERATOR), "EXPORTS");
        stage.setWidth(1024);
        stage.setHeight(700);
    }

    /** What a label draws: its text node's text (with "…" where it was cut). */
    private static String drawn(Label label) {
        return ((Text) label.lookup(".text")).getText();
    }

    @Test
    void theStatusBarKeepsItsWordsAndThePathGivesWay(FxRobot robot) {
        await(20, "health read", () -> !robot.lookup("#healthLabel").queryAs(Label.class).getText().isEmpty());
        WaitForAsyncUtils.waitForFxEvents();
        Map<String, String> cut = fxGet(() -> {
            Map<String, String> out = new LinkedHashMap<>();
            for (String id : List.of("#healthLabel", "#scheduleLabel", "#userLabel")) {
                Label l = robot.lookup(id).queryAs(Label.class);
                if (!drawn(l).equals(l.getText())) {
                    out.put(id, drawn(l) + " instead of " + l.getText());
                }
            }
            return out;
        });
        assertThat(cut).as("labels drawn cut at 1024 px").isEmpty();
        Label workspace = robot.lookup("#workspaceLabel").queryAs(Label.class);
        String path = fxGet(() -> drawn(workspace));
        assertThat(path).as("the path keeps its end").endsWith("workspace");
        assertThat(fxGet(() -> workspace.getTooltip().getText())).isEqualTo(fxGet(workspace::getText));
        fx(() -> Screenshots.take(stage.getScene(), "status-bar-long-names"));
    }
}
