package dev.exportdesk.ui;

import static dev.exportdesk.ui.ConsoleTestSupport.await;
import static dev.exportdesk.ui.ConsoleTestSupport.fx;
import static dev.exportdesk.ui.ConsoleTestSupport.fxGet;
import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.access.Role;
import dev.exportdesk.engine.ProgressListener;
import dev.exportdesk.store.AuditEntry;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.RunState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableRow;
import javafx.scene.control.TextArea;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * A run's log and its failure's full text from the console, on a real run whose delivery failed: the
 * Problem cell's Details… shows the reason with the last attempt's cause chain from the run's log;
 * the run detail's Log… opens the log read-only, scrolled to the end, and follows the resume the
 * operator starts until attempt 2 has ended; Copy copies it; Save log… writes a copy (audited) and
 * never writes through a link planted at the chosen name.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RunLogFlowTest extends ConsoleFlowTest {
    private RunRecord failed;

    @Start
    void start(Stage stage) throws Exception {
        fixture = ConsoleFixture.open(dir, 3_000);
        // a file where the run's folder should be: every chunk's delivery fails
        Files.createDirectories(fixture.drop.resolve("orders-to-acme"));
        Files.writeString(fixture.drop.resolve("orders-to-acme/run-000001"), "in the way");
        failed = fixture.engine(fixture.admin).run("orders-to-acme", ProgressListener.NONE).run();
        assertThat(failed.state()).isEqualTo(RunState.FAILED);
        openConsole(stage, fixture.user("olga", Role.OPERATOR), "EXPORTS");
    }

    @Test
    void theLogAndTheFailuresCausesAreOneClickAway(FxRobot robot) throws Exception {
        var exports = shell.exports().model();
        await(20, "the failed run listed", () -> exports.runs().stream().anyMatch(r -> r.run().id().equals(failed.id())));

        // the Problem cell: Details… shows the reason and the last attempt's causes from the run's log
        await(10, "the Problem cell's link", () -> !robot.lookup("#runsTable .cell-link").queryAll().isEmpty());
        Hyperlink details = robot.lookup("#runsTable .cell-link").queryAs(Hyperlink.class);
        assertThat(fxGet(() -> ((TableCell<?, ?>) details.getParent()).getText())).isEqualTo(failed.error());
        robot.clickOn(details);
        await(10, "the problem shown whole", () -> !dialogs.texts.isEmpty());
        assertThat(dialogs.texts.get(0)).startsWith("Problem of orders-to-acme #1: Run failed: " + failed.error())
                .contains("The last attempt, from the run's log:\n")
                .contains("attempt 1 of run " + failed.id())
                .contains("Caused by: dev.exportdesk.transfer.DeliveryException")
                .contains("attempt 1 ended: FAILED");

        // the run detail's Log… opens the run's log in a window of its own
        fx(() -> shell.openRun(failed.id()));
        await(20, "the run detail", () -> shell.runDetail() != null && shell.runDetail().model().runProperty().get() != null);
        robot.clickOn("#logButton");
        await(20, "the log window", () -> logArea(robot) != null && logArea(robot).getText().contains("attempt 1 ended"));
        TextArea area = logArea(robot);
        assertThat(fxGet(area::isEditable)).isFalse();
        assertThat(fxGet(() -> area.getStyleClass())).contains("mono");
        assertThat(fxGet(() -> area.getCaretPosition())).as("scrolled to the end").isEqualTo(fxGet(() -> area.getLength()));
        Window logWindow = fxGet(() -> area.getScene().getWindow());
        assertThat(fxGet(() -> ((Stage) logWindow).getTitle())).isEqualTo("ExportDesk — Log of orders-to-acme #1");
        fx(() -> Screenshots.take(area.getScene(), "run-log-failed"));

        // the operator clears the way and resumes: the open log follows until attempt 2 has ended
        Files.delete(fixture.drop.resolve("orders-to-acme/run-000001"));
        fx(() -> exports.resume(failed));
        await(60, "attempt 2 in the open log", () -> fxGet(area::getText).contains("attempt 2 ended: COMPLETED"));
        String log = fxGet(area::getText);
        assertThat(log).contains("attempt 2 of run " + failed.id()).contains("resuming from FAILED")
                .contains("manifest.json delivered");
        assertThat(fxGet(() -> area.getCaretPosition())).isEqualTo(log.length());
        assertThat(log).isEqualTo(fixture.engine(fixture.user("alma", Role.AUDITOR)).runLog(failed.id()).orElseThrow())
                .as("auditors read logs too");

        // Copy: the whole log
        fx(() -> javafx.scene.input.Clipboard.getSystemClipboard().clear());
        robot.clickOn("#copyLogButton");
        assertThat(fxGet(() -> javafx.scene.input.Clipboard.getSystemClipboard().getString())).isEqualTo(log);

        // Save log…: a copy where the user chose, audited
        Path saved = dir.resolve("orders-run-1.log");
        dialogs.fileToSave = saved;
        robot.clickOn("#saveLogButton");
        await(20, "the copy written", () -> dialogs.notifications.stream().anyMatch(n -> n.contains("Log saved")));
        assertThat(Files.readString(saved)).isEqualTo(log);
        List<AuditEntry> audit = fixture.engine(fixture.admin).audit(50);
        assertThat(audit).anyMatch(e -> e.action().equals("run.log.save") && e.actor().startsWith("olga")
                && saved.toString().equals(e.after()));

        // a link planted at the chosen name: refused, and its target unchanged
        Path victim = Files.writeString(dir.resolve("victim.txt"), "unchanged");
        Path planted = Files.createSymbolicLink(dir.resolve("planted.log"), victim);
        dialogs.fileToSave = planted;
        int errorsBefore = dialogs.errors.size();
        robot.clickOn("#saveLogButton");
        await(20, "the save refused", () -> dialogs.errors.size() > errorsBefore);
        assertThat(Files.readString(victim)).isEqualTo("unchanged");
        assertThat(Files.isSymbolicLink(planted)).isTrue();
        fx(() -> ((Stage) logWindow).close());
    }

    private static TextArea logArea(FxRobot robot) {
        return robot.lookup("#logArea").tryQueryAs(TextArea.class).orElse(null);
    }
}
