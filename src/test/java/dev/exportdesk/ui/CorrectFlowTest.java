package dev.exportdesk.ui;

import static dev.exportdesk.ui.ConsoleTestSupport.await;
import static dev.exportdesk.ui.ConsoleTestSupport.fx;
import static dev.exportdesk.ui.ConsoleTestSupport.fxGet;
import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.access.Role;
import dev.exportdesk.engine.ProgressListener;
import dev.exportdesk.engine.runs.RunResult;
import dev.exportdesk.store.RunMode;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.RunState;
import dev.exportdesk.testing.Replay;
import dev.exportdesk.ui.runs.ChunkRow;
import dev.exportdesk.ui.runs.RunDetailViewModel;
import dev.exportdesk.ui.runs.RunRow;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javafx.collections.ListChangeListener;
import javafx.concurrent.Task;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * Issue 6's Correct from the Exports screen: after an export from a real H2 source, two orders
 * are changed in place (their cursor stays, so no increment will carry them) and an admin's deep
 * verification finds them. An operator selects the run, clicks Correct; the correction runs as a
 * task, shows up in the runs table as the contract's next run, ships exactly the two rows as they
 * are now, and Correct is no longer offered for the run. The correction run's detail shows which
 * chunk it corrects; the corrected chunk's detail names the correction that carried its keys.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CorrectFlowTest extends ConsoleFlowTest {
    private RunRecord exported;

    @Start
    void start(Stage stage) throws Exception {
        fixture = ConsoleFixture.open(dir, 6_000);
        RunResult run = fixture.engine(fixture.admin).run("orders-to-acme", ProgressListener.NONE);
        assertThat(run.completed()).isTrue();
        exported = run.run();
        try (Connection c = DriverManager.getConnection(fixture.shop.jdbcUrl(), "sa", "");
             Statement st = c.createStatement()) {
            assertThat(st.executeUpdate("UPDATE orders SET note = 'changed after export' WHERE id IN (SELECT id FROM "
                    + "orders ORDER BY updated_at, id OFFSET 10 ROWS FETCH FIRST 2 ROWS ONLY)")).isEqualTo(2);
        }
        assertThat(fixture.engine(fixture.admin).verification().deepVerify(exported.id()).get(0).ok()).isFalse();
        openConsole(stage, fixture.user("otis", Role.OPERATOR), "EXPORTS");
    }

    @Test
    void anOperatorCorrectsARunFromTheRunsTable(FxRobot robot) throws Exception {
        var exports = shell.exports().model();
        List<String> taskTitles = new CopyOnWriteArrayList<>();
        fx(() -> tasks.visibleTasks().addListener((ListChangeListener<Task<?>>) c -> {
            while (c.next()) {
                c.getAddedSubList().forEach(t -> taskTitles.add(t.getTitle()));
            }
        }));
        await(20, "the run listed", () -> exports.runs().size() == 1);
        assertThat(fxGet(() -> robot.lookup("#correctButton").queryButton().isDisabled())).as("nothing selected")
                .isTrue();
        TableView<LiveRow<RunRow>> runs = robot.lookup("#runsTable").queryTableView();
        fx(() -> runs.getSelectionModel().select(0));
        await(20, "Correct offered", () -> !robot.lookup("#correctButton").queryButton().isDisabled());
        fx(() -> Screenshots.take(stage.getScene(), "exports-correct"));

        robot.clickOn("#correctButton");
        await(120, "correction completed", () -> exports.runs().size() == 2
                && exports.runs().get(0).run().state() == RunState.COMPLETED && !exports.isRunning("orders-to-acme"));
        RunRecord correction = fxGet(() -> exports.runs().get(0).run());
        assertThat(correction.sequence()).isEqualTo(2);
        assertThat(correction.mode()).isEqualTo(RunMode.CORRECTION);
        assertThat(correction.rowCount()).isEqualTo(2);
        assertThat(fxGet(() -> exports.runs().get(0).stateText())).isEqualTo("COMPLETED · correction");
        assertThat(taskTitles).contains("Correct orders-to-acme #1");
        assertThat(dialogs.notifications).anyMatch(n -> n.startsWith("INFO Correction run completed: orders-to-acme "
                + "run #2: 2 rows in 1 chunks"));
        assertThat(fixture.engine(fixture.admin).audit(30)).anyMatch(e -> e.actor().equals("otis")
                && e.action().equals("run.correct"));
        assertThat(Replay.of(fixture.drop.resolve("orders-to-acme"), "id").table.values())
                .filteredOn(row -> "changed after export".equals(row.path("note").asText())).hasSize(2);

        fx(() -> runs.getSelectionModel().select(runs.getItems().stream()
                .filter(r -> r.get().run().id().equals(exported.id())).findFirst().orElseThrow()));
        await(20, "nothing left to correct", () -> robot.lookup("#correctButton").queryButton().isDisabled()
                && exports.selectedRunProperty().get() != null
                && exports.selectedRunProperty().get().run().id().equals(exported.id()));
        fx(() -> Screenshots.take(stage.getScene(), "exports-corrected"));

        // the correction run's detail: its chunk says which chunk of run #1 it corrects, with its keys
        fx(() -> shell.openRun(correction.id()));
        RunDetailViewModel detail = fxGet(() -> shell.runDetail().model());
        await(20, "correction chunk loaded", () -> !detail.loadingProperty().get() && detail.allChunks().size() == 1
                && detail.correctionRunProperty().get());
        TableView<LiveRow<ChunkRow>> chunks = robot.lookup("#chunkTable").queryTableView();
        TableColumn<LiveRow<ChunkRow>, ?> corrects = fxGet(() -> chunks.getColumns().stream()
                .filter(c -> c.getText().equals("Corrects")).findFirst().orElseThrow());
        assertThat(fxGet(corrects::isVisible)).as("shown for a correction run").isTrue();
        assertThat(fxGet(() -> String.valueOf(corrects.getCellData(0)))).startsWith("run #1 chunk ")
                .endsWith(" · 2 keys (2 changed)");
        fx(() -> chunks.getSelectionModel().select(0));
        await(20, "the link in the detail pane", () -> robot.lookup("#detailArea").queryTextInputControl().getText()
                .contains("\nCorrects run #1 chunk "));
        assertThat(fxGet(() -> robot.lookup("#detailArea").queryTextInputControl().getText()))
                .contains("· 2 keys (2 changed)");
        fx(() -> Screenshots.take(stage.getScene(), "run-detail-correction"));

        // and the corrected chunk of run #1 names its correction; the column is not shown there
        fx(() -> shell.openRun(exported.id()));
        RunDetailViewModel original = fxGet(() -> shell.runDetail().model());
        await(20, "run #1 loaded", () -> !original.loadingProperty().get() && !original.allChunks().isEmpty()
                && original.runProperty().get() != null);
        TableView<LiveRow<ChunkRow>> originalChunks = robot.lookup("#chunkTable").queryTableView();
        assertThat(fxGet(() -> originalChunks.getColumns().stream().filter(c -> c.getText().equals("Corrects"))
                .findFirst().orElseThrow().isVisible())).isFalse();
        fx(() -> originalChunks.getSelectionModel().select(originalChunks.getItems().stream()
                .filter(r -> r.get().mismatch()).findFirst().orElseThrow()));
        await(20, "the correction in the detail pane", () -> robot.lookup("#detailArea").queryTextInputControl()
                .getText().contains("Corrected by run #2 chunk 1 (COMPLETED)"));
        assertThat(fxGet(() -> robot.lookup("#detailArea").queryTextInputControl().getText()))
                .contains("its differing keys were carried by correction run #2 chunk 1 (COMPLETED)");
    }
}
