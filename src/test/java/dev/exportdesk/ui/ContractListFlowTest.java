package dev.exportdesk.ui;

import static dev.exportdesk.ui.ConsoleTestSupport.await;
import static dev.exportdesk.ui.ConsoleTestSupport.fx;
import static dev.exportdesk.ui.ConsoleTestSupport.fxGet;
import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.demo.DemoContracts;
import java.util.concurrent.TimeUnit;
import javafx.geometry.Orientation;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollBar;
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
 * The contract list at 1024×700 with a 62-character name: no sideways scroll bar under the list;
 * the long line loses its middle ("..."), so its start, partner and version stay in view, and the tooltip
 * holds the whole line.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ContractListFlowTest extends ConsoleFlowTest {
    private static final String LONG = "quarterly-settlement-lines-for-the-northwind-wholesale-coop-eu";

    @Start
    void start(Stage stage) throws Exception {
        fixture = ConsoleFixture.open(dir, 100); // the demo source, which the contract names
        fixture.engine(fixture.admin).importContract(DemoContracts.orders(fixture.drop)
                .replace("\"orders-to-acme\"", "\"" + LONG + "\""), "long.json");
        openConsole(stage, fixture.admin, "CONTRACTS");
        stage.setWidth(1024);
        stage.setHeight(700);
    }

    @Test
    void aLongNameGivesWayInsideTheList(FxRobot robot) {
        ListView<?> list = robot.lookup("#contractList").queryAs(ListView.class);
        await(20, "contract listed", () -> fxGet(() -> !list.getItems().isEmpty()));
        WaitForAsyncUtils.waitForFxEvents();
        boolean sideways = fxGet(() -> list.lookupAll(".scroll-bar").stream().map(ScrollBar.class::cast)
                .anyMatch(b -> b.getOrientation() == Orientation.HORIZONTAL && b.isVisible()));
        assertThat(sideways).as("a sideways scroll bar under the contract list").isFalse();
        ListCell<?> cell = fxGet(() -> list.lookupAll(".list-cell").stream().map(ListCell.class::cast)
                .filter(c -> c.getText() != null && c.getText().startsWith(LONG)).findFirst().orElseThrow());
        String text = fxGet(cell::getText);
        String drawn = fxGet(() -> ((Text) cell.lookup(".text")).getText());
        assertThat(drawn).as("drawn instead of " + text).contains("...").startsWith("quarterly-").endsWith("v1");
        assertThat(fxGet(() -> cell.getWidth())).isLessThanOrEqualTo(fxGet(() -> list.getWidth()));
        assertThat(fxGet(() -> cell.getTooltip().getText())).isEqualTo(text);
        fx(() -> Screenshots.take(stage.getScene(), "contract-list-long-name-1024"));
    }
}
