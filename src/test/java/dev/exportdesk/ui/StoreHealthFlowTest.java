package dev.exportdesk.ui;

import static dev.exportdesk.ui.ConsoleTestSupport.await;
import static dev.exportdesk.ui.ConsoleTestSupport.fx;
import static dev.exportdesk.ui.ConsoleTestSupport.fxGet;
import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.engine.status.StoreHealth;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.scene.paint.Color;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Issue 12 #5 in the real console: with a free-space margin larger than any volume, the status
 * bar's store health turns into the warning style, reads in both themes (WCAG 4.5:1 against its
 * own fill) and holds the warning's sentence in its tooltip.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StoreHealthFlowTest extends ConsoleFlowTest {
    @Start
    void start(Stage stage) throws Exception {
        fixture = ConsoleFixture.open(dir, 0);
        fixture.storeThresholds = new StoreHealth.Thresholds(Long.MAX_VALUE, 0.10, StoreHealth.FILL_HORIZON);
        openConsole(stage, fixture.admin, "EXPORTS");
    }

    @Test
    void aStoreWarningStandsOutInBothThemesAndSaysWhatToDo(FxRobot robot) {
        Label health = robot.lookup("#healthLabel").queryAs(Label.class);
        await(20, "health measured", () -> health.getText().endsWith(" free"));
        assertThat(fxGet(() -> health.getStyleClass())).contains(Styles.WARNING);
        assertThat(fxGet(() -> health.getTooltip().getText())).startsWith("Only ")
                .contains("free space on it, or move the workspace to a larger volume");

        for (boolean dark : new boolean[] {false, true}) {
            fx(() -> shell.model().darkProperty().set(dark));
            WaitForAsyncUtils.waitForFxEvents();
            double[] seen = fxGet(() -> {
                health.applyCss();
                Color text = Contrast.color(health.getTextFill());
                return new double[] {Contrast.ratio(text, Contrast.fill(health)), text.getRed(), text.getGreen(),
                    text.getBlue()};
            });
            Color warning = Color.web(dark ? "#d29922" : "#9a6700");
            assertThat(Color.color(seen[1], seen[2], seen[3])).as("the theme's warning colour").isEqualTo(warning);
            assertThat(seen[0]).as((dark ? "dark" : "light") + " theme contrast").isGreaterThanOrEqualTo(4.5);
            fx(() -> Screenshots.take(stage.getScene(), "status-bar-store-warning" + (dark ? "-dark" : "")));
        }
    }
}
