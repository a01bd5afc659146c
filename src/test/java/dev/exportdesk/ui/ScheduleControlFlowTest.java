package dev.exportdesk.ui;

import static dev.exportdesk.ui.ConsoleTestSupport.await;
import static dev.exportdesk.ui.ConsoleTestSupport.dialogPane;
import static dev.exportdesk.ui.ConsoleTestSupport.fx;
import static dev.exportdesk.ui.ConsoleTestSupport.fxGet;
import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.access.Role;
import dev.exportdesk.access.User;
import dev.exportdesk.engine.status.ContractStatus;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.ui.notifications.NotificationHistory;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.stage.PopupWindow;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * Schedule control and the notification history in the real console, with real dialogs and
 * ControlsFX toasts: an operator pauses a contract on the Exports screen with a reason typed into
 * the dialog, the schedule table says who paused it, when and why, Run now still runs it; its run
 * fails, the error toast shows and goes, and the Notifications button in the status bar (with its
 * unread count) opens the history holding the run's whole reason.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ScheduleControlFlowTest extends ConsoleFlowTest {
    private static final String ORDERS = "orders-to-acme";

    @Start
    void start(Stage primary) throws Exception {
        fixture = ConsoleFixture.open(dir, 2_000);
        User opal = fixture.user("opal", Role.OPERATOR);
        this.stage = primary;
        tasks = new FxTaskRunner(4);
        prefs = ConsoleTestSupport.freshPrefs();
        prefs.put("screen", "EXPORTS");
        // real dialogs and toasts, as the app has them
        FxDialogService real = new FxDialogService(primary, FolderOpener.forThisDesktop());
        shell = ConsoleWindow.show(primary, fixture.context(opal, tasks, real, Platform::runLater), tasks, prefs);
        primary.setWidth(1024); // the narrowest the console is made for: the bell and its count still fit
        primary.setHeight(700);
    }

    /** Header buttons whose text is drawn cut ("Sources  ⌃…"). */
    private static java.util.List<String> cutHeaderButtons(FxRobot robot) {
        return robot.lookup(".header .button, .header .toggle-button").queryAll().stream()
                .map(n -> (javafx.scene.control.Labeled) n).filter(b -> b.getText() != null && !b.getText().isEmpty())
                .filter(b -> b.lookup(".text") instanceof javafx.scene.text.Text t && !t.getText().equals(b.getText()))
                .map(javafx.scene.control.Labeled::getText).toList();
    }

    @SuppressWarnings("unchecked")
    private static String nextStartCell(FxRobot robot, String contract) {
        for (Node n : robot.lookup("#scheduleTable .table-row-cell").queryAll()) {
            TableRow<ContractStatus> row = (TableRow<ContractStatus>) n;
            if (row.getItem() != null && row.getItem().contract().equals(contract)) {
                return row.lookupAll(".table-cell").stream().map(c -> (TableCell<?, ?>) c)
                        .filter(c -> c.getTableColumn() != null && "sNext".equals(c.getTableColumn().getId()))
                        .map(c -> c.getText() + "\u0000" + (c.getTooltip() == null ? "" : c.getTooltip().getText()))
                        .findFirst().orElse("");
            }
        }
        return "";
    }

    private static Node toast(String selector) {
        for (Window w : Window.getWindows()) {
            if (w instanceof PopupWindow && w.isShowing() && w.getScene() != null) {
                Node n = w.getScene().getRoot().lookup(selector);
                if (n != null) {
                    return n;
                }
            }
        }
        return null;
    }

    @Test
    void pauseSaysWhoAndWhyRunNowStillRunsAndTheFailureOutlivesItsToast(FxRobot robot) throws Exception {
        var exports = shell.exports().model();
        await(20, "contracts listed", () -> exports.schedule().size() == 2);
        TableView<ContractStatus> schedule = robot.lookup("#scheduleTable").queryTableView();
        fx(() -> schedule.getSelectionModel().select(exports.schedule().stream()
                .filter(s -> s.contract().equals(ORDERS)).findFirst().orElseThrow()));
        Label detail = robot.lookup("#scheduleDetail").queryAs(Label.class);
        assertThat(fxGet(detail::getText)).startsWith(ORDERS + ": every 15m · next start ");
        assertThat(fxGet(() -> robot.lookup("#enableButton").queryButton().isDisabled())).isTrue();

        // Pause…: a real dialog asks why
        robot.clickOn("#pauseButton");
        await(10, "pause dialog", () -> dialogPane() != null);
        assertThat(fxGet(() -> dialogPane().getContentText())).contains("Run now still runs it");
        robot.clickOn(fxGet(() -> dialogPane().lookup(".text-field"))).write("partner migrating");
        await(10, "typed", () -> ((javafx.scene.control.TextField) dialogPane().lookup(".text-field")).getText()
                .equals("partner migrating"));
        robot.clickOn(fxGet(() -> (Button) dialogPane().lookupButton(ButtonType.OK)));
        await(20, "shown as paused", () -> nextStartCell(robot, ORDERS).startsWith("paused by opal\u0000"));
        String[] cell = fxGet(() -> nextStartCell(robot, ORDERS)).split("\u0000", -1);
        assertThat(cell[1]).as("its tooltip says when and why").startsWith(ORDERS + ": Paused by opal ")
                .contains(" — partner migrating. The schedule does not start it");
        await(10, "detail line", () -> detail.getText().startsWith(ORDERS + ": Paused by opal "));
        assertThat(fxGet(detail::getText)).contains("Run now still does");
        assertThat(fxGet(() -> robot.lookup("#pauseButton").queryButton().isDisabled())).isTrue();
        assertThat(fxGet(() -> robot.lookup("#enableButton").queryButton().isDisabled())).isFalse();
        fx(() -> Screenshots.take(stage.getScene(), "exports-paused"));

        // the schedule leaves it alone
        fx(() -> shell.scheduler().tick());
        await(20, "schedule looked", () -> !shell.scheduler().statusProperty().get().contains("first look"));
        assertThat(fxGet(() -> exports.isRunning(ORDERS))).isFalse();

        // Run now still runs it; its deliveries fail (the partner's folder is a file now)
        Files.writeString(fixture.drop, "not a folder");
        robot.clickOn("#runButton");
        await(60, "the error toast", () -> toast(".notification-bar") != null);
        await(30, "the toast is gone", () -> toast(".notification-bar") == null);
        Button bell = robot.lookup("#notificationsButton").queryButton();
        await(10, "unread count", () -> bell.getText().equals("1") && bell.getTooltip().getText()
                .startsWith("Notifications (1 new): "));
        assertThat(fxGet(() -> cutHeaderButtons(robot))).as("at 1024 px with the unread count").isEmpty();
        fx(() -> Screenshots.take(stage.getScene(), "exports-notification-unread"));
        RunRecord failed = fixture.engine(fixture.admin).recentRuns(1).get(0);
        assertThat(failed.error()).isNotBlank();

        robot.clickOn(bell);
        await(10, "history window", () -> shell.notificationsWindow() != null);
        Stage window = shell.notificationsWindow();
        @SuppressWarnings("unchecked")
        TableView<NotificationHistory.Entry> table = (TableView<NotificationHistory.Entry>) fxGet(() ->
                window.getScene().getRoot().lookup("#table"));
        assertThat(fxGet(() -> table.getItems().get(0).title())).isEqualTo("Run failed: " + ORDERS);
        TextArea text = (TextArea) fxGet(() -> window.getScene().getRoot().lookup("#textArea"));
        await(10, "its whole text", () -> text.getText().equals("Run failed: " + ORDERS + "\n\n" + failed.error()));
        assertThat(fxGet(text::isEditable)).isFalse();
        await(10, "read", () -> bell.getText().isEmpty());
        fx(() -> Screenshots.take(window.getScene(), "notifications"));
        fx(window::close);

        // Enable: the schedule may start it again
        robot.clickOn("#enableButton");
        await(20, "enabled", () -> !nextStartCell(robot, ORDERS).startsWith("paused"));
        assertThat(fixture.engine(fixture.admin).audit(50)).extracting(e -> e.action() + " " + e.actor())
                .contains("contract.pause opal", "contract.enable opal");
    }
}
