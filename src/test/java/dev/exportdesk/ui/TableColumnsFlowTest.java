package dev.exportdesk.ui;

import static dev.exportdesk.ui.ConsoleTestSupport.await;
import static dev.exportdesk.ui.ConsoleTestSupport.fx;
import static dev.exportdesk.ui.ConsoleTestSupport.fxGet;
import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.demo.DemoContracts;
import dev.exportdesk.engine.ProgressListener;
import dev.exportdesk.store.RunRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
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
 * Tables use the room they have and keep the numbers whole: the runs table's columns fill its width
 * (the Problem column takes what is free) and at 1024 px still draw a contract name and a start time
 * whole ("customers-to-a…", "2026-12-04 15…" before), and at 1024×700 the chunk table draws every row and
 * byte count in full (a chunk of megabytes: "3,412,345", not "3,412,…").
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TableColumnsFlowTest extends ConsoleFlowTest {
    private static final String CONTRACT = "orders-whole-to-acme";
    private RunRecord run;

    @Start
    void start(Stage stage) throws Exception {
        fixture = ConsoleFixture.open(dir, 20_000);
        var admin = fixture.engine(fixture.admin);
        // one uncompressed chunk of all the orders: its size runs into millions of bytes
        admin.importContract(DemoContracts.orders(fixture.drop).replace("\"orders-to-acme\"", "\"" + CONTRACT + "\"")
                .replace("\"compression\": \"zstd\"", "\"compression\": \"none\"")
                .replace("\"max_rows\": 2000", "\"max_rows\": 50000").replace("\"target_time\": \"5s\"",
                        "\"target_time\": \"10m\""), "whole.json");
        run = admin.run(CONTRACT, ProgressListener.NONE).run();
        openConsole(stage, fixture.admin, "EXPORTS");
    }

    private static double columnsWidth(TableView<?> table) {
        return table.getVisibleLeafColumns().stream().mapToDouble(TableColumn::getWidth).sum();
    }

    /** "text → drawn" for each cell of {@code column} whose drawing differs from its text. */
    private static List<String> cutCells(TableView<?> table, TableColumn<?, ?> column) {
        List<String> out = new ArrayList<>();
        for (Node n : table.lookupAll(".table-cell")) {
            TableCell<?, ?> cell = (TableCell<?, ?>) n;
            if (cell.getTableColumn() == column && cell.getText() != null && !cell.getText().isEmpty()) {
                String drawn = ((Text) cell.lookup(".text")).getText();
                if (!drawn.equals(cell.getText())) {
                    out.add(cell.getText() + " → " + drawn);
                }
            }
        }
        return out;
    }

    @Test
    void columnsFillTheTableAndNumbersAreWhole(FxRobot robot) {
        var exports = shell.exports().model();
        await(20, "run listed", () -> exports.runs().stream().anyMatch(r -> r.run().id().equals(run.id())));
        TableView<?> runs = robot.lookup("#runsTable").queryTableView();
        double free = fxGet(() -> runs.getWidth() - columnsWidth(runs));
        assertThat(free).as("room left unused right of the last column").isLessThan(20);

        fx(() -> {
            stage.setWidth(1024);
            stage.setHeight(700);
        });
        WaitForAsyncUtils.waitForFxEvents();
        List<String> cutRuns = fxGet(() -> {
            List<String> out = new ArrayList<>();
            for (TableColumn<?, ?> c : runs.getVisibleLeafColumns()) {
                if (!c.getText().equals("Problem")) { // a failure's reason has its tooltip and the run detail
                    out.addAll(cutCells(runs, c));
                }
            }
            return out;
        });
        assertThat(cutRuns).as("runs table cells drawn cut at 1024 px (contract names, times)").isEmpty();
        TableView<?> schedule = robot.lookup("#scheduleTable").queryTableView();
        List<String> cutSchedule = fxGet(() -> {
            List<String> out = new ArrayList<>();
            for (TableColumn<?, ?> c : schedule.getVisibleLeafColumns()) {
                out.addAll(cutCells(schedule, c));
            }
            return out;
        });
        assertThat(fxGet(() -> columnsWidth(schedule) - schedule.getWidth())).as("schedule columns past the pane's "
                + "edge (Lag / SLO behind a scroll bar)").isLessThan(1);
        assertThat(cutSchedule).as("schedule cells drawn cut at 1024 px").isEmpty();
        fx(() -> shell.openRun(run.id()));
        await(20, "chunks shown", () -> robot.lookup("#chunkTable .table-cell").queryAll().stream()
                .anyMatch(n -> ((TableCell<?, ?>) n).getText() != null && ((TableCell<?, ?>) n).getText()
                        .matches("\\d{1,3}(,\\d{3}){2,}")));
        WaitForAsyncUtils.waitForFxEvents();
        TableView<?> chunks = robot.lookup("#chunkTable").queryTableView();
        List<String> cut = fxGet(() -> {
            List<String> out = new ArrayList<>();
            for (TableColumn<?, ?> c : chunks.getVisibleLeafColumns()) {
                if (c.getStyleClass().contains("count")) {
                    out.addAll(cutCells(chunks, c));
                }
            }
            return out;
        });
        assertThat(cut).as("numbers drawn cut at 1024 px").isEmpty();
        fx(() -> Screenshots.take(stage.getScene(), "run-detail-big-chunk-1024"));
    }
}
