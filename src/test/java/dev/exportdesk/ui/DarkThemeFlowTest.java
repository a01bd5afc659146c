package dev.exportdesk.ui;

import static dev.exportdesk.ui.ConsoleTestSupport.dialogPane;
import static dev.exportdesk.ui.ConsoleTestSupport.await;
import static dev.exportdesk.ui.ConsoleTestSupport.fx;
import static dev.exportdesk.ui.ConsoleTestSupport.fxGet;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The dark theme shows everything: a notification's title and text, the error dialog's message and
 * its "Show Details" link read against their own backgrounds (WCAG contrast at least 4.5:1), and a
 * disabled button looks disabled (its text clearly fainter than an enabled button's).
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DarkThemeFlowTest extends ConsoleFlowTest {
    @Start
    void start(Stage stage) throws Exception {
        fixture = ConsoleFixture.open(dir, 0);
        openConsole(stage, fixture.admin, "EXPORTS");
    }

    @Test
    void everythingReadsInTheDarkTheme(FxRobot robot) {
        fx(() -> shell.model().toggleTheme());
        FxDialogService real = fxGet(() -> new FxDialogService(stage, FolderOpener.forThisDesktop()));

        // a notification: title and text against the notification's own fill
        fx(() -> real.notify(DialogService.Severity.ERROR, "Run failed: orders-to-acme", "source: connection refused"));
        await(10, "notification shown", () -> popupNode(".notification-bar") != null);
        WaitForAsyncUtils.waitForFxEvents();
        double[] notification = fxGet(() -> {
            Region pane = (Region) popupNode(".notification-bar > .pane");
            Color back = Contrast.fill(pane);
            List<Double> out = new ArrayList<>();
            for (Node n : pane.lookupAll(".label")) {
                out.add(Contrast.ratio(Contrast.color(((Label) n).getTextFill()), back));
            }
            return out.stream().mapToDouble(Double::doubleValue).toArray();
        });
        assertThat(notification).isNotEmpty();
        assertThat(java.util.Arrays.stream(notification).min().orElseThrow()).as("notification text contrast")
                .isGreaterThanOrEqualTo(4.5);

        // an error dialog: its message and Show Details against the dialog's fill
        fx(() -> real.showError("The export of orders-to-acme stopped", new IllegalStateException("boom")));
        await(10, "dialog shown", () -> dialogPane() != null);
        double[] dialog = fxGet(() -> {
            DialogPane pane = dialogPane();
            pane.applyCss();
            pane.layout();
            Color back = Contrast.fill(pane);
            Hyperlink details = (Hyperlink) pane.lookup(".details-button");
            Label content = (Label) pane.lookup(".content");
            return new double[] {Contrast.ratio(Contrast.color(details.getTextFill()), back),
                Contrast.ratio(Contrast.color(content.getTextFill()), back)};
        });
        assertThat(dialog[0]).as("Show Details contrast").isGreaterThanOrEqualTo(4.5);
        assertThat(dialog[1]).as("dialog message contrast").isGreaterThanOrEqualTo(4.5);
        fx(() -> Screenshots.take(dialogPane().getScene(), "error-dialog-dark"));
        fx(() -> ((Stage) dialogPane().getScene().getWindow()).close());
        fx(() -> Screenshots.take(stage.getScene(), "exports-dark"));

        // a disabled button looks disabled: drawn unlike an enabled one (not merely faded), its text faint
        Button disabled = robot.lookup("#resumeButton").queryButton();
        Button enabled = robot.lookup("#refreshButton").queryButton();
        assertThat(fxGet(disabled::isDisabled)).isTrue();
        double[] buttons = fxGet(() -> {
            Color back = Contrast.fill((Region) stage.getScene().getRoot());
            return new double[] {Contrast.ratio(effective(disabled), back), Contrast.ratio(effective(enabled), back)};
        });
        assertThat(buttons[1]).as("enabled").isGreaterThanOrEqualTo(7);
        assertThat(buttons[0]).as("disabled, against enabled " + buttons[1]).isLessThan(3.5);
        assertThat(fxGet(() -> disabled.getBackground().getFills().get(disabled.getBackground().getFills().size() - 1)
                .getFill())).as("a disabled button's face").isNotEqualTo(fxGet(() -> enabled.getBackground().getFills()
                .get(enabled.getBackground().getFills().size() - 1).getFill()));
    }

    private static Node popupNode(String selector) {
        for (Window w : Window.getWindows()) {
            if (w instanceof javafx.stage.PopupWindow && w.getScene() != null) {
                Node n = w.getScene().getRoot().lookup(selector);
                if (n != null) {
                    return n;
                }
            }
        }
        return null;
    }


    /** The text colour as drawn: the text fill faded by the button's opacity over the window's fill. */
    private static Color effective(Button b) {
        Color text = Contrast.color(b.getTextFill());
        Color back = Contrast.fill((Region) b.getScene().getRoot());
        double a = 1;
        for (Node n = b; n != null; n = n.getParent()) {
            a *= n.getOpacity();
        }
        return text.interpolate(back, 1 - a);
    }
}
