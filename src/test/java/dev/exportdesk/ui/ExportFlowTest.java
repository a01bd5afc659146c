package dev.exportdesk.ui;

import static dev.exportdesk.ui.ConsoleTestSupport.await;
import static dev.exportdesk.ui.ConsoleTestSupport.fx;
import static dev.exportdesk.ui.ConsoleTestSupport.fxGet;
import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.access.Role;
import dev.exportdesk.engine.status.ContractStatus;
import dev.exportdesk.store.RunState;
import dev.exportdesk.ui.runs.RunRow;
import dev.exportdesk.ui.shell.ShellViewModel.Screen;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
import org.testfx.util.WaitForAsyncUtils;

/**
 * An operator runs an export from the console and watches it progress in the task view; the
 * finished run opens in the chunk table, which filters by state and search; an admin's verify
 * after a delivered file is corrupted marks exactly that chunk as mismatched.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ExportFlowTest extends ConsoleFlowTest {

    @Start
    void start(Stage stage) throws Exception {
        fixture = ConsoleFixture.open(dir, 60_000);
        openConsole(stage, fixture.user("olga", Role.OPERATOR), null);
    }

    @Test
    void operatorRunsAnExportWatchesProgressAndFiltersTheChunkTable(FxRobot robot) throws Exception {
        var exports = shell.exports().model();
        await(20, "contracts listed", () -> exports.schedule().size() == 2);
        TableView<ContractStatus> schedule = robot.lookup("#scheduleTable").queryTableView();
        fx(() -> schedule.getSelectionModel().select(exports.schedule().stream()
                .filter(s -> s.contract().equals("orders-to-acme")).findFirst().orElseThrow()));

        AtomicBoolean sawProgress = new AtomicBoolean();
        AtomicBoolean sawEta = new AtomicBoolean();
        tasks.visibleTasks().addListener((javafx.collections.ListChangeListener<Task<?>>) c -> { });
        robot.clickOn("#runButton");
        // the running export appears in the TaskProgressView with a progress message (rows, chunk n, bytes)
        AtomicBoolean shot = new AtomicBoolean();
        await(120, "run completed", () -> {
            for (Task<?> t : tasks.visibleTasks()) {
                String m = t.getMessage();
                if (m != null && m.contains("rows/s")) {
                    sawProgress.set(true);
                    // the expected rows come from a count at the source: "… of ≈60,000 rows · ETA 4 s"
                    boolean eta = m.matches(".* of ≈60,000 rows · ETA \\d+ s.*");
                    sawEta.compareAndSet(false, eta);
                    if (!shot.get() && eta && m.matches(".*chunk ([3-9]|\\d\\d+) .*")) {
                        shot.set(true);
                        Screenshots.take(stage.getScene(), "exports-running");
                    }
                }
            }
            return !exports.runs().isEmpty() && exports.runs().get(0).run().state() == RunState.COMPLETED
                    && !exports.isRunning("orders-to-acme");
        });
        // the row on screen was drawn while the run was running and then swapped in place: its cells follow
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(fxGet(() -> shownCell(robot, "#runsTable", 0, "State"))).isEqualTo("COMPLETED");
        assertThat(fxGet(() -> shownCell(robot, "#runsTable", 0, "Rows")))
                .isEqualTo(String.format("%,d", fxGet(() -> exports.runs().get(0).run().rowCount())));
        assertThat(sawProgress).as("the task view showed rows/s, chunk n and bytes while running").isTrue();
        assertThat(sawEta).as("the task view showed the expected rows and an ETA").isTrue();
        RunRow first = fxGet(() -> exports.runs().get(0));
        // a second, incremental run after the source changed
        fixture.shop.applyChanges();
        robot.clickOn("#runButton");
        await(120, "second run completed", () -> exports.runs().size() == 2
                && exports.runs().get(0).run().state() == RunState.COMPLETED && !exports.isRunning("orders-to-acme"));
        RunRow done = first;
        assertThat(done.run().rowCount()).isGreaterThanOrEqualTo(60_000);
        assertThat(dialogs.notifications).anyMatch(n -> n.contains("Run completed"));
        fx(() -> Screenshots.take(stage.getScene(), "exports"));

        // sorting by a column: the runs table lists newest first; "#" ascending puts run 1 on top
        TableView<?> runsTable = robot.lookup("#runsTable").queryTableView();
        sortBy(runsTable, "#", TableColumn.SortType.ASCENDING);
        assertThat(fxGet(() -> shownCell(robot, "#runsTable", 0, "#"))).isEqualTo("1");
        sortBy(runsTable, "#", TableColumn.SortType.DESCENDING);
        assertThat(fxGet(() -> shownCell(robot, "#runsTable", 0, "#"))).isEqualTo("2");
        fx(() -> runsTable.getSortOrder().clear());

        // open the run: chunk table with every chunk
        fx(() -> shell.openRun(done.run().id()));
        var detail = shell.runDetail().model();
        await(20, "chunks loaded", () -> !detail.loadingProperty().get()
                && detail.allChunks().size() == done.run().chunkCount());
        assertThat(detail.chunks()).hasSize(done.run().chunkCount()).allMatch(c -> c.state().equals("DELIVERED"));
        fx(() -> Screenshots.take(stage.getScene(), "run-detail"));
        TableView<?> chunkTable = robot.lookup("#chunkTable").queryTableView();
        sortBy(chunkTable, "#", TableColumn.SortType.DESCENDING);
        assertThat(fxGet(() -> shownCell(robot, "#chunkTable", 0, "#")))
                .isEqualTo(String.valueOf(done.run().chunkCount()));
        fx(() -> chunkTable.getSortOrder().clear());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(fxGet(() -> shownCell(robot, "#chunkTable", 0, "#"))).isEqualTo("1");

        // filter: state VERIFIED → none yet; search by file name → one
        fx(() -> detail.stateFilterProperty().set("VERIFIED"));
        assertThat(fxGet(() -> robot.lookup("#chunkTable").queryTableView().getItems().size())).isZero();
        fx(() -> detail.stateFilterProperty().set("DELIVERED"));
        String file = fxGet(() -> detail.allChunks().get(3).fileName());
        robot.clickOn("#searchField").write(file);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(fxGet(() -> robot.lookup("#chunkTable").queryTableView().getItems().size())).isEqualTo(1);
        fx(() -> Screenshots.take(stage.getScene(), "run-detail-filtered"));

        // the operator may not verify: the button is disabled and the service refuses
        assertThat(fxGet(() -> robot.lookup("#verifyButton").queryButton().isDisabled())).isTrue();

        // dashboard and audit screens render this run
        fx(() -> shell.show(Screen.DASHBOARD));
        await(20, "dashboard contracts", () -> shell.dashboard().model().contracts().size() == 2);
        fx(() -> shell.dashboard().model().contractProperty().set("orders-to-acme"));
        // two runs: two points of rows, two bars of attempts, and the lag over time — one point at the
        // first delivery, two at the second (before and after), one for now
        await(20, "dashboard points", () -> robot.lookup(n -> n.getProperties().containsKey("runId")).queryAll()
                .size() == 8);
        fx(() -> Screenshots.take(stage.getScene(), "dashboard"));
        robot.clickOn((javafx.scene.Node) robot.lookup("#run-point-1").query());
        await(10, "click on a point opens the run", () -> shell.runDetail() != null
                && shell.model().screenProperty().get() == Screen.RUN
                && shell.runDetail().model().runId().equals(done.run().id()));
        fx(() -> shell.show(Screen.AUDIT));
        await(20, "audit entries", () -> shell.audit().model().entries().stream()
                .anyMatch(e -> e.action().equals("run.start") && e.actor().equals("olga")));
        fx(() -> robot.lookup("#auditTable").queryTableView().getSelectionModel().select(7));
        fx(() -> Screenshots.take(stage.getScene(), "audit"));
        assertThat(Files.list(fixture.drop).count()).isGreaterThan(0);
    }

    /** The text of the cell drawn on screen for row {@code index}, column {@code column}, of a table. */
    private static String shownCell(FxRobot robot, String table, int index, String column) {
        return robot.lookup(table + " .table-cell").queryAllAs(javafx.scene.control.TableCell.class).stream()
                .filter(c -> c.getIndex() == index && c.getTableColumn().getText().equals(column) && !c.isEmpty())
                .map(javafx.scene.control.TableCell::getText).findFirst().orElse(null);
    }

    /** Sorts {@code table} by the column titled {@code column}, as a click on its header does. */
    private static void sortBy(TableView<?> table, String column, TableColumn.SortType type) {
        fx(() -> {
            TableColumn<?, ?> c = table.getColumns().stream().filter(t -> t.getText().equals(column)).findFirst()
                    .orElseThrow();
            c.setSortType(type);
            @SuppressWarnings({"unchecked", "rawtypes"})
            List<TableColumn> order = (List) table.getSortOrder();
            order.clear();
            order.add(c);
        });
        WaitForAsyncUtils.waitForFxEvents();
    }
}
