package dev.exportdesk.ui;

import static dev.exportdesk.ui.ConsoleTestSupport.await;
import static dev.exportdesk.ui.ConsoleTestSupport.fx;
import static dev.exportdesk.ui.ConsoleTestSupport.fxGet;
import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.access.Role;
import dev.exportdesk.store.AuditEntry;
import dev.exportdesk.store.RunState;
import dev.exportdesk.ui.shell.ShellViewModel.Screen;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.scene.control.Button;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Sign out is refused while a run started in this console runs (its task lives in this window, and
 * the next user could neither see nor cancel it): the shell stays, the schedule keeps going, the
 * user is told why, and nothing is audited as a sign-out; once the run has ended, it signs out.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SignOutWhileRunningFlowTest extends ConsoleFlowTest {

    @Start
    void start(Stage stage) throws Exception {
        fixture = ConsoleFixture.open(dir, 150_000);
        openConsole(stage, fixture.user("otis", Role.OPERATOR), null);
    }

    @Test
    void signOutWaitsForTheRunStartedHere(FxRobot robot) {
        var exports = shell.exports().model();
        AtomicInteger handedOver = new AtomicInteger();
        fx(() -> {
            shell.scheduler().start();
            shell.onSignOut(handedOver::incrementAndGet);
        });
        await(20, "contracts listed", () -> exports.schedule().size() == 2);
        fx(() -> exports.runNow("orders-to-acme"));
        await(60, "running", () -> fxGet(exports::anyRunning));
        fx(() -> shell.show(Screen.USERS));
        WaitForAsyncUtils.waitForFxEvents();

        Button link = robot.lookup("#signOutButton").queryAs(Button.class);
        robot.clickOn(link);
        WaitForAsyncUtils.waitForFxEvents();
        boolean stillRunning = fxGet(exports::anyRunning);
        if (stillRunning) {
            assertThat(handedOver.get()).as("refused while the run runs").isZero();
            assertThat(dialogs.notifications).anyMatch(n -> n.contains("Not signed out")
                    && n.contains("still running"));
            assertThat(fxGet(() -> shell.scheduler().isStopped())).as("the schedule goes on").isFalse();
            java.util.List<AuditEntry> audit = fixture.workspace.store().inTransaction(c ->
                    fixture.workspace.store().audit().recent(c, 50));
            assertThat(audit).extracting(AuditEntry::action).doesNotContain("user.sign-out");
        }
        await(120, "the run ended", () -> !fxGet(exports::anyRunning) && !exports.runs().isEmpty()
                && exports.runs().get(0).run().state() == RunState.COMPLETED);
        robot.clickOn(link);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(handedOver.get()).as("signed out once nothing runs").isEqualTo(1);
        assertThat(stillRunning).as("the run was still running at the first click (150,000 rows)").isTrue();
    }
}
