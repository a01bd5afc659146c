package dev.exportdesk.ui;

import static dev.exportdesk.ui.ConsoleTestSupport.dialogPane;
import static dev.exportdesk.ui.ConsoleTestSupport.await;
import static dev.exportdesk.ui.ConsoleTestSupport.fx;
import static dev.exportdesk.ui.ConsoleTestSupport.fxGet;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.scene.control.DialogPane;
import javafx.scene.control.TextField;
import javafx.scene.input.Clipboard;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * "Open file location" on a desktop without xdg-open: instead of nothing, a dialog says why and
 * holds the folder's path in a field to copy; Copy path puts it on the clipboard and keeps the
 * dialog open.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OpenLocationFlowTest implements FxThreadBounds {
    @TempDir
    Path dir;
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        stage.setScene(new Scene(new StackPane(), 640, 480));
        stage.show();
    }


    @Test
    void withoutXdgOpenThePathIsShownToCopy(FxRobot robot) throws Exception {
        Path folder = java.nio.file.Files.createDirectories(dir.resolve("orders-to-acme/run-000003").toAbsolutePath());
        FolderOpener noXdgOpen = new FolderOpener(List.of(dir.resolve("xdg-open").toString()), true);
        fx(() -> new FxDialogService(stage, noXdgOpen).openLocation(folder));
        await(10, "dialog shown", () -> dialogPane() != null);
        DialogPane pane = fxGet(ConsoleTestSupport::dialogPane);
        String header = fxGet(pane::getHeaderText);
        assertThat(header).isEqualTo("The folder could not be opened");
        TextField path = fxGet(() -> (TextField) pane.lookup("#folderPath"));
        String shown = fxGet(path::getText);
        assertThat(shown).isEqualTo(folder.toString());
        boolean editable = fxGet(path::isEditable);
        assertThat(editable).isFalse();
        List<String> texts = fxGet(() -> pane.lookupAll(".label").stream()
                .map(n -> ((javafx.scene.control.Label) n).getText()).toList());
        assertThat(texts).anyMatch(t -> t != null && t.startsWith("This desktop has no xdg-open"));
        fx(() -> Screenshots.take(pane.getScene(), "open-location-without-xdg-open"));

        robot.clickOn("Copy path");
        String copied = fxGet(() -> Clipboard.getSystemClipboard().getString());
        assertThat(copied).isEqualTo(folder.toString());
        assertThat(dialogPane()).as("still open after copying").isNotNull();
        robot.clickOn("OK");
        await(5, "dialog closed", () -> dialogPane() == null);
    }
}
