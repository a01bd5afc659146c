package dev.exportdesk.ui;

import static dev.exportdesk.ui.ConsoleTestSupport.await;
import static dev.exportdesk.ui.ConsoleTestSupport.fx;
import static dev.exportdesk.ui.ConsoleTestSupport.fxGet;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.TextArea;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * A long text in full, one click away: the Details dialog shows all of it read-only and Copy copies
 * all of it without closing the dialog; a notification too long for its toast offers Details…, which
 * opens that dialog with the whole text.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FullTextFlowTest implements FxThreadBounds {
    private static final String REASON = "chunk chunk-000007.jsonl.zst: writing /srv/partners/acme/inbound/orders-to-"
            + "acme/run-000042/chunk-000007.jsonl.zst failed: the remote server refused the upload: quota exceeded "
            + "for account acme-exports (used 9.98 GB of 10 GB); end of reason";
    private Stage stage;
    private FxDialogService dialogs;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        stage.setScene(new Scene(new StackPane(), 1024, 700));
        stage.show();
        dialogs = new FxDialogService(stage, FolderOpener.forThisDesktop());
    }

    @BeforeEach
    void closeLeftovers() {
        ConsoleTestSupport.closeWindowsBut(stage);
    }

    @AfterEach
    void closeOthers() {
        fx(() -> Window.getWindows().stream().filter(w -> w != stage).toList().forEach(Window::hide));
    }

    @Test
    void detailsShowTheWholeTextAndCopyKeepsTheDialogOpen(FxRobot robot) {
        String text = REASON + "\n\nCaused by: java.io.IOException: quota exceeded";
        fx(() -> dialogs.showText("Problem of orders-to-acme #42", text));
        await(10, "the text shown", () -> robot.lookup("#fullText").tryQuery().isPresent());
        TextArea area = robot.lookup("#fullText").queryAs(TextArea.class);
        assertThat(fxGet(() -> area.getText())).isEqualTo(text);
        assertThat(fxGet(() -> area.isEditable())).isFalse();
        fx(() -> javafx.scene.input.Clipboard.getSystemClipboard().clear());
        javafx.scene.Node copy = fxGet(() -> area.getScene().getRoot().lookupAll(".button").stream()
                .filter(b -> "Copy".equals(((Button) b).getText())).findFirst().orElseThrow());
        javafx.geometry.Bounds shownAt = fxGet(() -> area.getScene().getRoot().localToScreen(
                area.getScene().getRoot().getBoundsInLocal()));
        javafx.geometry.Rectangle2D screen = fxGet(() -> javafx.stage.Screen.getPrimary().getBounds());
        assertThat(shownAt.getMinX()).as("the dialog within the screen: " + shownAt).isGreaterThanOrEqualTo(0);
        assertThat(shownAt.getMaxX()).as("the dialog within the screen: " + shownAt)
                .isLessThanOrEqualTo(screen.getMaxX());
        robot.clickOn(copy);
        assertThat(fxGet(() -> javafx.scene.input.Clipboard.getSystemClipboard().getString())).isEqualTo(text);
        Window dialog = fxGet(() -> area.getScene().getWindow());
        assertThat(fxGet(dialog::isShowing)).as("Copy keeps it open").isTrue();
        robot.clickOn("Close");
        await(5, "closed", () -> !fxGet(dialog::isShowing));
    }

    @Test
    void aNotificationTooLongForItsToastOffersDetails(FxRobot robot) {
        fx(() -> dialogs.notify(DialogService.Severity.ERROR, "Run failed: orders-to-acme", REASON));
        await(10, "the toast's Details…", () -> robot.lookup(".button").queryAllAs(Button.class).stream()
                .anyMatch(b -> "Details…".equals(b.getText())));
        Button details = robot.lookup(".button").queryAllAs(Button.class).stream()
                .filter(b -> "Details…".equals(b.getText())).findFirst().orElseThrow();
        fx(details::fire);
        await(10, "the whole text", () -> robot.lookup("#fullText").tryQuery().isPresent());
        assertThat(fxGet(() -> robot.lookup("#fullText").queryAs(TextArea.class).getText())).isEqualTo(REASON);

        fx(() -> dialogs.notify(DialogService.Severity.INFO, "Run completed", "orders-to-acme run #1: 2000 rows"));
        await(10, "the short toast", () -> robot.lookup(".label").queryAll().stream()
                .anyMatch(n -> n instanceof javafx.scene.control.Label l && l.getText() != null
                        && l.getText().contains("2000 rows")));
        assertThat(robot.lookup(".button").queryAllAs(Button.class).stream()
                .filter(b -> "Details…".equals(b.getText())).count()).as("a one-line toast has no Details…")
                .isEqualTo(1);
    }
}
