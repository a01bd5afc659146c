package dev.exportdesk.ui;

import static dev.exportdesk.ui.ConsoleTestSupport.dialogPane;
import static dev.exportdesk.ui.ConsoleTestSupport.await;
import static dev.exportdesk.ui.ConsoleTestSupport.fxGet;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * A question naming a long user keeps the name whole: the dialog's message is at least as wide as
 * its longest word, so lines break between words, never inside the name.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DialogWordsFlowTest implements FxThreadBounds {
    @org.junit.jupiter.api.BeforeEach
    void closeLeftovers() {
        ConsoleTestSupport.closeWindowsBut(stage);
    }

    private static final String NAME = "maximilian.oberhausen-wittgenstein.operations-nightshift-backup";
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        stage.setScene(new Scene(new StackPane(), 1024, 700));
        stage.show();
    }


    @Test
    void aLongNameIsNotBrokenInTheMiddle(FxRobot robot) {
        String question = "Remove " + NAME + " (operator) for good? The audit log keeps what they did. To only stop "
                + "them signing in, disable them.";
        AtomicReference<Boolean> answer = new AtomicReference<>();
        Platform.runLater(() -> answer.set(new FxDialogService(stage, FolderOpener.forThisDesktop())
                .confirm("Remove user", question)));
        await(10, "question shown", () -> dialogPane() != null);
        List<Double> widths = fxGet(() -> {
            Label content = (Label) dialogPane().lookup(".content");
            Text text = (Text) content.lookup(".text");
            double longest = Arrays.stream(question.split(" ")).mapToDouble(w -> {
                Text word = new Text(w);
                word.setFont(text.getFont());
                return word.getLayoutBounds().getWidth();
            }).max().orElseThrow();
            return List.of(longest, text.getWrappingWidth() > 0 ? text.getWrappingWidth() : content.getWidth());
        });
        fxGet(() -> Screenshots.take(dialogPane().getScene(), "dialog-long-name"));
        robot.clickOn("No");
        await(5, "answered", () -> answer.get() != null);
        assertThat(answer.get()).isFalse();
        assertThat(widths.get(1)).as("room for the longest word (%.0f px)", widths.get(0))
                .isGreaterThanOrEqualTo(widths.get(0));
    }

    /**
     * A word wider than the window (a failure's path) does not widen the dialog to the whole window:
     * with a window manager's frame around it, that took its Yes button past the edge of a 1024 px
     * screen (RealWindowSmokeIT sees the frame; here the dialog's own width is checked).
     */
    @Test
    void aWordWiderThanTheWindowLeavesRoomForTheFrame(FxRobot robot) {
        String path = "/tmp/junit-3825471024680327398/ws-sample/shop.mv.db/returns/" + NAME.repeat(2)
                + "/run-000001/chunk-000001.jsonl.zst";
        AtomicReference<Boolean> answer = new AtomicReference<>();
        Platform.runLater(() -> answer.set(new FxDialogService(stage, FolderOpener.forThisDesktop())
                .confirm("Unfinished runs found", "1 run did not finish: writing " + path
                        + " failed. Resume it now?")));
        await(10, "question shown", () -> dialogPane() != null);
        double width = fxGet(() -> dialogPane().getScene().getWindow().getWidth());
        await(5, "the dialog within the screen", () -> fxGet(() -> dialogPane().localToScreen(
                dialogPane().getBoundsInLocal()).getMaxX() <= javafx.stage.Screen.getPrimary().getBounds().getMaxX()));
        robot.clickOn("No");
        await(5, "answered", () -> answer.get() != null);
        assertThat(width).as("the dialog beside a %.0f px window", stage.getWidth())
                .isLessThanOrEqualTo(stage.getWidth() - 40);
    }
}
