package dev.exportdesk.ui;

import static dev.exportdesk.ui.ConsoleTestSupport.await;
import static dev.exportdesk.ui.ConsoleTestSupport.fx;
import static dev.exportdesk.ui.ConsoleTestSupport.fxGet;
import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.access.Role;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.RunState;
import dev.exportdesk.testing.Replay;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javafx.concurrent.Task;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * Cancel from the task view's button mid-run: the run stops resumable, the cancellation is audited
 * with the user, and Resume completes it with no row lost or duplicated.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CancelFlowTest extends ConsoleFlowTest {

    @Start
    void start(Stage stage) throws Exception {
        fixture = ConsoleFixture.open(dir, 150_000);
        openConsole(stage, fixture.user("otis", Role.OPERATOR), null);
    }

    @Test
    void cancelStopsTheRunResumablyAndResumeCompletesIt(FxRobot robot) throws Exception {
        var exports = shell.exports().model();
        await(20, "contracts listed", () -> exports.schedule().size() == 2);
        fx(() -> exports.runNow("orders-to-acme"));
        await(60, "a few chunks in", () -> tasks.visibleTasks().stream().map(Task::getMessage)
                .anyMatch(m -> m != null && m.matches(".*chunk ([3-9]|\\d\\d+) .*")));
        robot.clickOn(".task-progress-view .button");
        await(60, "run stopped", () -> !exports.isRunning("orders-to-acme") && !exports.runs().isEmpty()
                && exports.runs().get(0).run().state() != RunState.CAPTURING);
        RunRecord stopped = fxGet(() -> exports.runs().get(0).run());
        assertThat(stopped.state()).isEqualTo(RunState.FAILED);
        assertThat(stopped.error()).isEqualTo("cancelled by otis");
        // the row drawn while the run ran was swapped in place; its style follows (cancelled, muted: not red)
        await(10, "stopped row styled", () -> robot.lookup("#runsTable .table-row-cell")
                .queryAllAs(javafx.scene.control.TableRow.class).stream().anyMatch(r -> r.getIndex() == 0
                        && r.getPseudoClassStates().contains(javafx.css.PseudoClass.getPseudoClass(Styles.CANCELLED))
                        && !r.getPseudoClassStates().contains(javafx.css.PseudoClass.getPseudoClass(Styles.FAILED))));
        await(10, "cancel audited", () -> fixture.engine(fixture.admin).audit(30).stream()
                .anyMatch(e -> e.actor().equals("otis") && e.action().equals("run.cancel")));

        fx(() -> exports.selectedRunProperty().set(exports.runs().get(0)));
        robot.clickOn("#resumeButton");
        await(120, "resumed to completion", () -> !exports.isRunning("orders-to-acme") && !exports.runs().isEmpty()
                && exports.runs().get(0).run().state() == RunState.COMPLETED);
        assertThat(fxGet(() -> exports.runs().get(0).run().id())).isEqualTo(stopped.id());
        Replay replay = Replay.of(fixture.drop.resolve("orders-to-acme"), "id");
        Set<String> seen = new HashSet<>();
        long duplicated = replay.delivered.stream().map(r -> r.get("id").asText()).filter(k -> !seen.add(k)).count();
        assertThat(duplicated).as("rows duplicated").isZero();
        long live;
        try (var c = java.sql.DriverManager.getConnection(fixture.shop.jdbcUrl(), "sa", "");
             var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM orders WHERE deleted_at IS NULL")) {
            rs.next();
            live = rs.getLong(1);
        }
        assertThat(replay.table).as("rows delivered = live source rows").hasSize((int) live);
        assertThat(fixture.engine(fixture.admin).verification().verify(stopped.id()).report().ok()).isTrue();
    }
}
