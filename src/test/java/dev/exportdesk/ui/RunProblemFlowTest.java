package dev.exportdesk.ui;

import static dev.exportdesk.ui.ConsoleTestSupport.await;
import static dev.exportdesk.ui.ConsoleTestSupport.fx;
import static dev.exportdesk.ui.ConsoleTestSupport.fxGet;
import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.access.Role;
import dev.exportdesk.engine.ProgressListener;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.RunState;
import dev.exportdesk.store.StateStore;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import javafx.css.PseudoClass;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableRow;
import javafx.scene.control.TextArea;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * Why a run stopped, within reach of an operator: a failed run's whole reason in the Problem cell's
 * tooltip and in the run detail (a read-only text area, selectable and copyable), and a cancelled
 * run reading as CANCELLED (muted), not as a red failure. Both runs are real runs whose stored
 * outcome is then set as the engine records one (RunRepository.updateState, as RunAttempts.fail does).
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RunProblemFlowTest extends ConsoleFlowTest {
    /** A PostgreSQL failure as the engine stores it: much longer than the Problem column. */
    static final String REASON = "source: ERROR: canceling statement due to statement timeout; the keyset scan of "
            + "public.orders after (updated_at, id) > ('2026-11-30 23:59:59.123456', 4711042) did not answer within "
            + "the contract's source.statement_timeout of 30 s (chunk 12 of run 1, attempt 2); end of reason";
    private RunRecord failed;
    private RunRecord cancelled;

    @Start
    void start(Stage stage) throws Exception {
        fixture = ConsoleFixture.open(dir, 2_000);
        var admin = fixture.engine(fixture.admin);
        failed = stop(admin.run("orders-to-acme", ProgressListener.NONE).run().id(), REASON);
        cancelled = stop(admin.run("customers-to-acme", ProgressListener.NONE).run().id(), "cancelled by otis");
        openConsole(stage, fixture.user("olga", Role.OPERATOR), "EXPORTS");
    }

    private RunRecord stop(String runId, String error) {
        StateStore store = fixture.workspace.store();
        store.updateDurably(c -> store.runs().updateState(c, runId, RunState.FAILED, error, Instant.now()));
        return fixture.engine(fixture.admin).findRun(runId).orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private TableRow<LiveRow<dev.exportdesk.ui.runs.RunRow>> row(FxRobot robot, String runId) {
        return robot.lookup("#runsTable .table-row-cell").queryAllAs(TableRow.class).stream()
                .filter(r -> r.getItem() != null && ((LiveRow<dev.exportdesk.ui.runs.RunRow>) r.getItem()).get().run()
                        .id().equals(runId)).findFirst().orElseThrow();
    }

    private static String cellText(TableRow<?> row, String columnId) {
        return row.lookupAll(".table-cell").stream().map(n -> (TableCell<?, ?>) n)
                .filter(c -> c.getTableColumn() != null && columnId.equals(c.getTableColumn().getId()))
                .map(c -> c.getText() + "\u0000" + (c.getTooltip() == null ? "" : c.getTooltip().getText())
                        + "\u0000" + (c.getTooltip() != null && c.getTooltip().isWrapText()
                        && c.getTooltip().getMaxWidth() <= Cells.TOOLTIP_WIDTH))
                .findFirst().orElseThrow();
    }

    @Test
    void theWholeReasonIsInReachAndACancelIsNoFailure(FxRobot robot) {
        var exports = shell.exports().model();
        await(20, "both runs listed", () -> exports.runs().size() == 2);
        await(10, "rows drawn", () -> robot.lookup("#runsTable .table-row-cell").queryAll().stream()
                .filter(n -> ((TableRow<?>) n).getItem() != null).count() == 2);

        // the failed run: red, its whole reason in the Problem cell's tooltip
        TableRow<?> failedRow = fxGet(() -> row(robot, failed.id()));
        String[] problem = fxGet(() -> cellText(failedRow, "rError")).split("\u0000", -1);
        assertThat(problem[0]).isEqualTo(REASON);
        assertThat(problem[1]).as("tooltip of the Problem cell").isEqualTo(REASON);
        assertThat(problem[2]).as("the tooltip wraps instead of running off the screen").isEqualTo("true");
        assertThat(fxGet(() -> failedRow.getPseudoClassStates())).contains(PseudoClass.getPseudoClass(Styles.FAILED));

        // the cancelled run: reads CANCELLED, not red
        TableRow<?> cancelledRow = fxGet(() -> row(robot, cancelled.id()));
        assertThat(fxGet(() -> cellText(cancelledRow, "rState")).split("\u0000", -1)[0]).isEqualTo("CANCELLED");
        assertThat(fxGet(() -> cancelledRow.getPseudoClassStates()))
                .doesNotContain(PseudoClass.getPseudoClass(Styles.FAILED))
                .contains(PseudoClass.getPseudoClass(Styles.CANCELLED));
        fx(() -> Screenshots.take(stage.getScene(), "exports-failed-and-cancelled"));

        // Ctrl+C in the runs table copies the selected run, its whole problem included
        fx(() -> javafx.scene.input.Clipboard.getSystemClipboard().clear());
        robot.clickOn(failedRow).push(KeyCode.CONTROL, KeyCode.C);
        assertThat(fxGet(() -> javafx.scene.input.Clipboard.getSystemClipboard().getString()))
                .startsWith("orders-to-acme\t1\t").contains("\tFAILED\t").endsWith("\t" + REASON);

        // the failed run's detail: the whole reason, in a read-only text area one can select and copy
        fx(() -> shell.openRun(failed.id()));
        await(20, "failed run's detail", () -> shell.runDetail() != null
                && shell.runDetail().model().detailProperty().get().contains(REASON));
        TextArea detail = robot.lookup("#detailArea").queryAs(TextArea.class);
        assertThat(fxGet(() -> detail.getText())).startsWith("Run failed: " + REASON);
        assertThat(fxGet(detail::isEditable)).isFalse();
        fx(() -> Screenshots.take(stage.getScene(), "run-detail-failed"));
        fx(() -> {
            detail.selectAll();
            detail.copy();
        });
        assertThat(fxGet(() -> javafx.scene.input.Clipboard.getSystemClipboard().getString())).contains(REASON);
        assertThat(fxGet(() -> shell.runDetail().model().summaryProperty().get())).contains("· FAILED ·");

        // Ctrl+C in the chunk table copies the selected chunk, as the Copy row button does
        await(10, "chunk listed", () -> !shell.runDetail().table().getItems().isEmpty());
        fx(() -> javafx.scene.input.Clipboard.getSystemClipboard().clear());
        robot.clickOn(robot.lookup("#chunkTable .table-row-cell").<javafx.scene.Node>query());
        robot.push(KeyCode.CONTROL, KeyCode.C);
        assertThat(fxGet(() -> javafx.scene.input.Clipboard.getSystemClipboard().getString()))
                .isEqualTo(fxGet(() -> shell.runDetail().table().getItems().get(0).get().toTsv()));

        // the cancelled run's detail says cancelled, not failed
        fx(() -> shell.openRun(cancelled.id()));
        await(20, "cancelled run's detail", () -> shell.runDetail().model().detailProperty().get()
                .startsWith("Run cancelled: cancelled by otis."));
        assertThat(fxGet(() -> shell.runDetail().model().summaryProperty().get())).contains("· CANCELLED ·")
                .doesNotContain("FAILED");
    }
}
