package dev.exportdesk.ui;

import static dev.exportdesk.ui.ConsoleTestSupport.await;
import static dev.exportdesk.ui.ConsoleTestSupport.fx;
import static dev.exportdesk.ui.ConsoleTestSupport.fxGet;
import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.access.Role;
import dev.exportdesk.engine.ProgressListener;
import dev.exportdesk.engine.runs.RunResult;
import dev.exportdesk.engine.status.ContractStatus;
import dev.exportdesk.store.RunMode;
import dev.exportdesk.store.RunState;
import dev.exportdesk.testing.Replay;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * Re-sync… on the Exports screen: an operator selects a contract, says where to send from (nothing:
 * the whole table), reads what a re-sync will do in the confirmation (declining plans nothing),
 * confirms, and the contract's next run starts: a full export in the same sequence, audited with
 * the operator's name.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ResyncFlowTest extends ConsoleFlowTest {

    @Start
    void start(Stage stage) throws Exception {
        fixture = ConsoleFixture.open(dir, 2_000);
        RunResult run = fixture.engine(fixture.admin).run("orders-to-acme", ProgressListener.NONE);
        assertThat(run.completed()).isTrue();
        openConsole(stage, fixture.user("otis", Role.OPERATOR), "EXPORTS");
    }

    @Test
    void anOperatorResyncsAContractAfterReadingWhatWillHappen(FxRobot robot) throws Exception {
        var exports = shell.exports().model();
        await(20, "the run listed", () -> exports.runs().size() == 1);
        TableView<ContractStatus> schedule = robot.lookup("#scheduleTable").queryTableView();
        assertThat(fxGet(() -> robot.lookup("#resyncButton").queryButton().isDisabled())).as("nothing selected")
                .isTrue();
        fx(() -> schedule.getSelectionModel().select(schedule.getItems().stream()
                .filter(c -> c.contract().equals("orders-to-acme")).findFirst().orElseThrow()));
        await(20, "Re-sync offered", () -> !robot.lookup("#resyncButton").queryButton().isDisabled());

        // a cursor contract is asked where to send from first: a value that is no time is refused in words
        dialogs.textAnswer = "last tuesday";
        robot.clickOn("#resyncButton");
        await(20, "refused", () -> !dialogs.errors.isEmpty());
        assertThat(dev.exportdesk.ui.ErrorText.summary(dialogs.errors.get(0))).contains("--from", "updated_at");
        dialogs.textAnswer = "2000-01-01";
        dialogs.answer = false;
        robot.clickOn("#resyncButton");
        await(20, "declined", () -> "Re-sync not planned.".equals(exports.messageProperty().get()));
        assertThat(dialogs.confirmations).anyMatch(q -> q.startsWith("Re-sync orders-to-acme: orders-to-acme run #2 "
                + "(new) sends again every row whose updated_at is at or after 2000-01-01T00:00:00.000000Z"));

        dialogs.textAnswer = ""; // the whole table
        robot.clickOn("#resyncButton");
        await(20, "declined", () -> dialogs.confirmations.stream().anyMatch(q -> q.contains("becomes a full export")));
        assertThat(dialogs.confirmations).anyMatch(q -> q.startsWith("Re-sync orders-to-acme: orders-to-acme run #2 "
                + "(new) becomes a full export"));
        assertThat(fixture.engine(fixture.admin).audit(30)).noneMatch(e -> e.action().equals("run.resync"));

        dialogs.answer = true;
        robot.clickOn("#resyncButton");
        await(120, "the full export completed", () -> exports.runs().size() == 2
                && exports.runs().get(0).run().state() == RunState.COMPLETED && !exports.isRunning("orders-to-acme"));
        fx(() -> Screenshots.take(stage.getScene(), "exports-resync"));
        assertThat(fxGet(() -> exports.runs().get(0).run().mode())).isEqualTo(RunMode.FULL);
        assertThat(fxGet(() -> exports.runs().get(0).stateText())).isEqualTo("COMPLETED · full");
        assertThat(fixture.engine(fixture.admin).audit(30)).anyMatch(e -> e.actor().equals("otis")
                && e.action().equals("run.resync"));
        Replay replay = Replay.of(fixture.drop.resolve("orders-to-acme"), "id");
        assertThat(replay.manifests).extracting(m -> m.mode()).containsExactly("incremental", "full");
        assertThat(replay.manifests.get(1).rows()).as("the whole table again").isEqualTo(replay.manifests.get(0).rows());
    }
}
