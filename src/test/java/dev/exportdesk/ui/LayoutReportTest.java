package dev.exportdesk.ui;

import static dev.exportdesk.ui.ConsoleTestSupport.await;
import static dev.exportdesk.ui.ConsoleTestSupport.fx;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The console's layout report ({@code -Dexportdesk.ui.layoutReport=FILE}), which the real-window
 * smoke test reads: off without the property; a label drawn with "…" reads as cut, a whole one, a
 * mnemonic's underscore and a hidden label do not; table cells and headings are told apart; the file
 * is owner-only, and a link planted at its name is replaced, never written through.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LayoutReportTest implements FxThreadBounds {
    private static final String TITLE = "layout report test";
    private static final String LONG = "a label far too long for the eighty pixels it is given";
    private static final String LONG_CELL = "a cell value far too long for its column";

    @TempDir
    Path dir;

    @Start
    void start(Stage stage) {
        Label cut = new Label(LONG);
        cut.setMinWidth(0);
        cut.setMaxWidth(80);
        Button mnemonic = new Button("_Save");
        Label hidden = new Label("hidden label");
        hidden.setVisible(false);
        TableView<String> table = new TableView<>(FXCollections.observableArrayList(LONG_CELL));
        TableColumn<String, String> column = new TableColumn<>("Value");
        column.setPrefWidth(60);
        column.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue()));
        table.getColumns().add(column);
        stage.setScene(new Scene(new VBox(cut, new Label("whole"), mnemonic, hidden, table), 300, 300));
        stage.setTitle(TITLE);
        stage.show();
    }

    @Test
    void offUnlessTheOperatorAsksForIt() {
        System.clearProperty(LayoutReport.PROPERTY);
        assertThat(LayoutReport.fromSystemProperty(() -> "EXPORTS")).isEmpty();
    }

    @Test
    void reportsWhatIsDrawnCutAndNothingHidden() throws Exception {
        Path file = dir.resolve("layout.json");
        write(file);
        JsonNode window = null;
        JsonNode report = new ObjectMapper().readTree(file.toFile());
        assertThat(report.path("screen").asText()).isEqualTo("TEST");
        for (JsonNode w : report.path("windows")) {
            if (TITLE.equals(w.path("title").asText())) {
                window = w;
            }
        }
        assertThat(window).isNotNull();
        Map<String, JsonNode> labels = new HashMap<>();
        window.path("labels").forEach(l -> labels.put(l.path("text").asText(), l));
        assertThat(labels).containsKeys(LONG, "whole", "_Save", LONG_CELL, "Value").doesNotContainKey("hidden label");
        assertThat(labels.get(LONG).path("cut").asBoolean()).isTrue();
        assertThat(labels.get(LONG).path("shown").asText()).endsWith("...");
        assertThat(labels.get("whole").path("cut").asBoolean()).isFalse();
        assertThat(labels.get("_Save").path("cut").asBoolean()).as("a mnemonic's underscore is not drawn").isFalse();
        assertThat(labels.get(LONG_CELL).path("tableCell").asBoolean()).isTrue();
        assertThat(labels.get(LONG_CELL).path("cut").asBoolean()).isTrue();
        assertThat(labels.get(LONG_CELL).path("tooltipHoldsText").asBoolean()).isFalse();
        assertThat(labels.get("Value").path("tableCell").asBoolean()).as("a heading is not a cell").isFalse();
        assertThat(labels.get("Value").path("scrolls").asBoolean()).isTrue();
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void aLinkAtTheReportsNameIsReplacedNotWrittenThrough() throws Exception {
        Path victim = Files.writeString(dir.resolve("victim.txt"), "keep me");
        Path file = Files.createSymbolicLink(dir.resolve("layout.json"), victim);
        write(file);
        assertThat(Files.readString(victim)).isEqualTo("keep me");
        assertThat(Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)).isTrue();
    }

    /** Starts a report on {@code file} and waits for its first write. */
    private static void write(Path file) {
        System.setProperty(LayoutReport.PROPERTY, file.toString());
        LayoutReport report;
        try {
            report = LayoutReport.fromSystemProperty(() -> "TEST").orElseThrow();
        } finally {
            System.clearProperty(LayoutReport.PROPERTY);
        }
        fx(report::start);
        try {
            await(10, "the report written", () -> Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS));
        } finally {
            fx(report::stop);
        }
    }
}
