package dev.exportdesk.ui;

import static dev.exportdesk.ui.ConsoleTestSupport.await;
import static dev.exportdesk.ui.ConsoleTestSupport.fx;
import static dev.exportdesk.ui.ConsoleTestSupport.fxGet;
import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.engine.ProgressListener;
import dev.exportdesk.ui.dashboard.HealthRow;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Drift & health before and after runs: with no run, each chart's place says so in words instead of
 * drawing axes around nothing; after three runs, the run-number axes have whole-number ticks only.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DashboardFlowTest extends ConsoleFlowTest {
    private static final List<String> CHARTS = List.of("#rowsChart", "#lagChart", "#attemptsChart", "#driftChart");

    @Start
    void start(Stage stage) throws Exception {
        fixture = ConsoleFixture.open(dir, 500);
        openConsole(stage, fixture.admin, "DASHBOARD");
    }

    private static boolean shown(FxRobot robot, String id) {
        return fxGet(() -> robot.lookup(id).query().isVisible());
    }

    /** The numbers of the x axis's tick marks of a chart with a number axis. */
    private static List<Double> ticks(FxRobot robot, String chart) {
        return fxGet(() -> {
            NumberAxis axis = (NumberAxis) ((XYChart<?, ?>) robot.lookup(chart).query()).getXAxis();
            return axis.getTickMarks().stream().map(t -> t.getValue().doubleValue()).toList();
        });
    }

    @Test
    void noRunsSaysSoAndRunNumbersAreWhole(FxRobot robot) {
        var dashboard = shell.dashboard().model();
        await(20, "contracts listed", () -> dashboard.contracts().size() == 2);
        assertThat(fxGet(() -> dashboard.health().stream().map(HealthRow::health).toList()))
                .as("health overview before any run").containsExactly("Never run", "Never run");
        fx(() -> dashboard.contractProperty().set("orders-to-acme"));
        WaitForAsyncUtils.waitForFxEvents();
        for (String chart : CHARTS) {
            assertThat(shown(robot, chart)).as(chart + " hidden without data").isFalse();
        }
        List<String> placeholders = fxGet(() -> robot.lookup(".chart-placeholder").queryAllAs(Label.class).stream()
                .filter(Node::isVisible).map(Label::getText).toList());
        assertThat(placeholders).hasSize(4).allSatisfy(t -> assertThat(t).containsIgnoringCase("no "))
                .anyMatch(t -> t.contains("No runs yet")).anyMatch(t -> t.contains("No verification yet"));
        fx(() -> Screenshots.take(stage.getScene(), "dashboard-empty"));

        var engine = fixture.engine(fixture.admin);
        for (int i = 0; i < 3; i++) {
            engine.run("orders-to-acme", ProgressListener.NONE);
        }
        fx(dashboard::refresh);
        await(20, "three runs charted", () -> dashboard.points().size() == 3);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(shown(robot, "#rowsChart")).isTrue();
        assertThat(shown(robot, "#rowsPlaceholder")).isFalse();
        assertThat(shown(robot, "#driftPlaceholder")).as("still no verification").isTrue();
        assertThat(ticks(robot, "#rowsChart")).as("run numbers").isNotEmpty()
                .allSatisfy(v -> assertThat(v % 1).as("tick " + v).isZero()).contains(1.0, 2.0, 3.0);
        // the lag chart's x axis is time: three deliveries, each a drop, then the age of the data now
        await(20, "lag over time charted", () -> dashboard.lag().size() == 6);
        List<String> health = fxGet(() -> dashboard.health().stream().map(h -> h.contract() + ": " + h.health())
                .toList());
        assertThat(health).containsExactlyInAnyOrder("orders-to-acme: OK", "customers-to-acme: Never run");
        @SuppressWarnings("unchecked")
        TableView<HealthRow> table = (TableView<HealthRow>) robot.lookup("#healthTable").query();
        assertThat(fxGet(() -> table.getItems().size())).isEqualTo(2);
        fx(() -> Screenshots.take(stage.getScene(), "dashboard-three-runs"));
    }
}
