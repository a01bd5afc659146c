package dev.exportdesk.ui;

import static dev.exportdesk.ui.ConsoleTestSupport.await;
import static dev.exportdesk.ui.ConsoleTestSupport.fx;
import static dev.exportdesk.ui.ConsoleTestSupport.fxGet;
import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.access.Role;
import dev.exportdesk.engine.ProgressListener;
import dev.exportdesk.engine.runs.RunResult;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * An operator selects a delivered run whose partner wrote its receipt, presses Check receipt on the
 * Exports screen and reads the judgement in words; the schedule's next look then names the next
 * start in the status bar and awaits no receipt.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CheckReceiptFlowTest extends ConsoleFlowTest {
    private RunResult run;

    @Start
    void start(Stage stage) throws Exception {
        fixture = ConsoleFixture.open(dir, 6_000);
        PartnerReceipts.expectReceipts(fixture);
        run = fixture.engine(fixture.admin).run("orders-to-acme", ProgressListener.NONE);
        PartnerReceipts.write(fixture, run.run(), false);
        openConsole(stage, fixture.user("olga", Role.OPERATOR), "EXPORTS");
    }

    @Test
    void checkReceiptJudgesTheSelectedRunsReceiptAndSaysSo(FxRobot robot) {
        var exports = shell.exports().model();
        await(20, "the run listed", () -> exports.runs().size() == 1);
        Button check = robot.lookup("#receiptButton").queryButton();
        assertThat(fxGet(check::isDisabled)).as("nothing selected").isTrue();
        fx(() -> robot.lookup("#runsTable").queryTableView().getSelectionModel().select(0));
        await(20, "Check receipt offered for a run that expects a receipt", () -> !check.isDisabled());

        robot.clickOn("#receiptButton");
        String said = "orders-to-acme run #1: receipt ACKNOWLEDGED — every chunk's hash matched";
        await(20, "the judgement in words", () -> said.equals(exports.messageProperty().get()));
        Label message = robot.lookup("#messageLabel").queryAs(Label.class);
        assertThat(fxGet(message::getText)).isEqualTo(said);

        Label schedule = robot.lookup("#scheduleLabel").queryAs(Label.class);
        assertThat(fxGet(schedule::getText)).isEqualTo("Schedule: first look in 30 s");
        fx(() -> shell.scheduler().tick());
        await(20, "the schedule's next start", () -> schedule.getText().startsWith("Schedule: next orders-to-acme at "));
        assertThat(fxGet(schedule::getText)).doesNotContain("awaited");
        fx(() -> Screenshots.take(stage.getScene(), "exports-check-receipt"));
    }
}
