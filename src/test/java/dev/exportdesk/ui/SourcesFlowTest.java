package dev.exportdesk.ui;

import static dev.exportdesk.ui.ConsoleTestSupport.await;
import static dev.exportdesk.ui.ConsoleTestSupport.fx;
import static dev.exportdesk.ui.ConsoleTestSupport.fxGet;
import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.demo.DemoContracts;
import dev.exportdesk.demo.DemoShop;
import dev.exportdesk.source.SourceConnection;
import dev.exportdesk.ui.shell.ShellViewModel.Screen;
import dev.exportdesk.ui.sources.SourceForm.Field;
import dev.exportdesk.ui.sources.SourceRow;
import dev.exportdesk.ui.sources.SourcesViewModel;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * An administrator who only has the console connects a new source: Ctrl+6 opens Sources, a URL
 * outside the allow-list is refused at its field as it is typed (Add disabled), the corrected form
 * tests reachable and is added, and the new connection is in the table next to the demo's, which
 * lists the contracts naming it.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SourcesFlowTest extends ConsoleFlowTest {

    @Start
    void start(Stage stage) throws Exception {
        fixture = ConsoleFixture.open(dir, 200);
        openConsole(stage, fixture.admin, "EXPORTS");
    }

    private static String id(Field f) {
        return "#source-" + f.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private void type(FxRobot robot, Field f, String text) {
        TextField field = robot.lookup(id(f)).queryAs(TextField.class);
        fx(field::clear);
        robot.clickOn(field).write(text);
    }

    private boolean disabled(FxRobot robot, String button) {
        return fxGet(() -> robot.lookup(button).queryButton().isDisabled());
    }

    @Test
    void anAdministratorAddsAConnectionThroughTheForm(FxRobot robot) {
        robot.push(KeyCode.CONTROL, KeyCode.DIGIT6);
        assertThat(fxGet(() -> shell.model().screenProperty().get())).isEqualTo(Screen.SOURCES);
        SourcesViewModel m = shell.sources().model();
        await(20, "the demo's connection listed", () -> m.rows().size() == 1);
        assertThat(fxGet(() -> m.rows().get(0).usedByText())).isEqualTo("customers-to-acme, orders-to-acme");

        type(robot, Field.NAME, "shop-replica");
        type(robot, Field.JDBC_URL, fixture.shop.jdbcUrl() + ";INIT=SELECT 1");
        type(robot, Field.USER, DemoShop.READER);
        await(10, "the URL's problem at its field", () -> !robot.lookup(id(Field.JDBC_URL) + "-problem")
                .queryAs(Label.class).getText().isEmpty());
        assertThat(fxGet(() -> robot.lookup(id(Field.JDBC_URL) + "-problem").queryAs(Label.class).getText()))
                .contains("setting \"INIT\" is not allowed");
        assertThat(disabled(robot, "#addButton")).isTrue();
        assertThat(disabled(robot, "#testButton")).isTrue();
        fx(() -> Screenshots.take(stage.getScene(), "sources-errors"));

        type(robot, Field.JDBC_URL, fixture.shop.jdbcUrl());
        await(10, "the form passes", () -> !robot.lookup("#addButton").queryButton().isDisabled());
        assertThat(fxGet(() -> robot.lookup(id(Field.JDBC_URL) + "-problem").queryAs(Label.class).getText()))
                .isNullOrEmpty();
        robot.clickOn("#testButton");
        await(20, "tested", () -> m.messageProperty().get().startsWith("Source shop-replica reachable: H2"));
        robot.clickOn("#addButton");
        await(20, "added and listed", () -> m.rows().stream().anyMatch(r -> r.name().equals("shop-replica")));
        assertThat(fxGet(() -> robot.lookup("#sourceTable").queryTableView().getItems().stream()
                .map(r -> ((SourceRow) r).name()).toList())).containsExactly(DemoContracts.SOURCE, "shop-replica");
        assertThat(fxGet(() -> m.messageProperty().get())).isEqualTo("Added source connection shop-replica.");
        assertThat(disabled(robot, "#saveButton")).as("now it exists: Save, not Add").isFalse();
        assertThat(disabled(robot, "#addButton")).isTrue();
        fx(() -> Screenshots.take(stage.getScene(), "sources"));

        assertThat(fixture.engine(fixture.admin).sourceConnections().sources()).contains(new SourceConnection("shop-replica",
                fixture.shop.jdbcUrl(), DemoShop.READER, null, null));
    }
}
