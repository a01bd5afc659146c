package dev.exportdesk.ui;

import static dev.exportdesk.ui.ConsoleTestSupport.fx;
import static dev.exportdesk.ui.ConsoleTestSupport.fxGet;
import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.access.Role;
import dev.exportdesk.access.User;
import dev.exportdesk.store.AuditEntry;
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
 * Sign out, on the Users screen beside My password (every role has it): the shell stops (its schedule too) and hands
 * over to the app, which shows the sign-in window again for the next user; the sign-out is audited.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SignOutFlowTest extends ConsoleFlowTest {
    private User otto;

    @Start
    void start(Stage stage) throws Exception {
        fixture = ConsoleFixture.open(dir, 0);
        otto = fixture.user("otto", Role.OPERATOR);
        openConsole(stage, otto, "USERS");
        stage.setWidth(1024);
        stage.setHeight(700);
    }

    @Test
    void signingOutStopsTheShellAndHandsOverToTheSignIn(FxRobot robot) {
        AtomicInteger handedOver = new AtomicInteger();
        fx(() -> {
            shell.scheduler().start();
            shell.onSignOut(() -> {
                fixture.users.signOut(otto);
                handedOver.incrementAndGet();
            });
        });
        assertThat(fxGet(() -> shell.scheduler().isStopped())).isFalse();
        Button link = robot.lookup("#signOutButton").queryAs(Button.class);
        assertThat(fxGet(() -> link.isVisible() && link.getText().equals("Sign out"))).isTrue();
        robot.clickOn(link);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(handedOver.get()).isEqualTo(1);
        assertThat(fxGet(() -> shell.scheduler().isStopped())).as("the schedule stopped with the shell").isTrue();
        java.util.List<AuditEntry> audit = fixture.workspace.store().inTransaction(c ->
                fixture.workspace.store().audit().recent(c, 20));
        assertThat(audit).extracting(AuditEntry::action).contains("user.sign-out");
    }
}
