package dev.exportdesk.ui;

import static dev.exportdesk.ui.ConsoleTestSupport.await;
import static dev.exportdesk.ui.ConsoleTestSupport.fx;
import static dev.exportdesk.ui.ConsoleTestSupport.fxGet;
import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.access.Role;
import dev.exportdesk.access.User;
import dev.exportdesk.store.ContractRecord;
import dev.exportdesk.ui.contracts.ContractForm.Field;
import dev.exportdesk.ui.shell.ShellViewModel.Screen;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.controlsfx.validation.ValidationMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * A steward creates a contract: the form shows the engine's own errors inline (ControlsFX
 * ValidationSupport) at their JSON paths, Save stays disabled until they are fixed, a source-side
 * error (unknown table) comes back from the live check onto the table field, and once fixed the
 * contract is stored. A second save creates version 2, and the history shows the diff.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ContractEditorFlowTest extends ConsoleFlowTest {
    private User steward;

    @Start
    void start(Stage stage) throws Exception {
        fixture = ConsoleFixture.open(dir, 2_000);
        steward = fixture.user("sam", Role.STEWARD);
        openConsole(stage, steward, "CONTRACTS");
    }

    private static String id(Field f) {
        return "#field-" + f.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    private void type(FxRobot robot, Field f, String text) {
        TextField field = robot.lookup(id(f)).queryAs(TextField.class);
        fx(field::clear);
        robot.clickOn(field).write(text);
    }

    private List<String> inlineErrors() {
        return fxGet(() -> shell.contracts().editor().validation().getValidationResult().getErrors().stream()
                .map(ValidationMessage::getText).toList());
    }

    private static String tooltip(FxRobot robot, Field f) {
        TextField field = robot.lookup(id(f)).queryAs(TextField.class);
        return fxGet(() -> field.getTooltip().getText());
    }

    /** The message under the field, or null while it is hidden. */
    private static String errorText(FxRobot robot, Field f) {
        return robot.lookup(id(f) + "-error").tryQueryAs(Label.class)
                .map(l -> fxGet(() -> l.isVisible() ? l.getText() : null)).orElse(null);
    }

    private static String title(FxRobot robot) {
        return fxGet(() -> robot.lookup("#titleLabel").queryAs(Label.class).getText());
    }

    /** The destination is picked from the administrators' named ones in a drop-down, which writes the JSON. */
    @Test
    void stewardPicksANamedDestination(FxRobot robot) {
        fixture.engine(fixture.admin).destinations().addDestination("drop-named", "{\"type\":\"folder\",\"path\":"
                + new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(fixture.drop.toString()) + "}",
                dev.exportdesk.engine.delivery.DestinationService.Credentials.NONE);
        // the class's workspace is shared: the other test may have saved a contract already
        await(20, "demo contracts listed", () -> shell.contracts().model().contracts().size() >= 2);
        robot.clickOn("#newButton");
        await(10, "editor open", () -> shell.contracts().editor() != null);
        await(10, "named destinations loaded", () -> !shell.contracts().editor().model().destinationNames().isEmpty());
        robot.clickOn("#destination-picker .arrow-button");
        robot.clickOn("drop-named");
        await(10, "picked into the field", () -> "drop-named".equals(
                shell.contracts().editor().model().field(Field.DESTINATION).get()));
        assertThat(fxGet(() -> shell.contracts().editor().model().jsonProperty().get()))
                .contains("\"destination\" : \"drop-named\"");
    }

    @Test
    void stewardFixesValidationErrorsAndSavesAContract(FxRobot robot) {
        assertThat(fxGet(() -> shell.model().screenProperty().get())).isEqualTo(Screen.CONTRACTS);
        await(20, "demo contracts listed", () -> shell.contracts().model().contracts().size() == 2);
        fx(() -> Screenshots.take(stage.getScene(), "contracts"));
        robot.clickOn("#newButton");
        await(10, "editor open", () -> shell.contracts().editor() != null);
        assertThat(title(robot)).isEqualTo("New contract");

        type(robot, Field.NAME, "Orders For Bob");
        type(robot, Field.PARTNER, "bob");
        type(robot, Field.SOURCE, "demo-shop");
        type(robot, Field.TABLE, "ordrs");
        type(robot, Field.DESTINATION_PATH, fixture.drop.resolve("bob").toString());
        WaitForAsyncUtils.waitForFxEvents();

        // the engine's structural errors, inline, with their JSON paths
        await(10, "inline errors", () -> !shell.contracts().editor().validation().getValidationResult().getErrors()
                .isEmpty());
        assertThat(inlineErrors()).anyMatch(m -> m.startsWith("$.name: must be 1-64 lowercase"))
                .anyMatch(m -> m.startsWith("$.key_columns: is required"));
        assertThat(fxGet(() -> robot.lookup("#saveButton").queryButton().isDisabled())).isTrue();
        // the red mark says why in words: under the field and in its tooltip, not only the path
        assertThat(tooltip(robot, Field.NAME)).startsWith("$.name: must be 1-64 lowercase letters");
        assertThat(errorText(robot, Field.NAME)).startsWith("$.name: must be 1-64 lowercase letters");
        assertThat(tooltip(robot, Field.KEY_COLUMNS)).startsWith("$.key_columns: is required");
        assertThat(fxGet(() -> robot.lookup(id(Field.NAME)).queryAs(TextField.class).getTooltip().isWrapText()))
                .isTrue();
        fx(() -> Screenshots.take(stage.getScene(), "contract-editor-errors"));

        type(robot, Field.NAME, "orders-for-bob");
        await(10, "name error gone", () -> !shell.contracts().editor().validation().getValidationResult()
                .getErrors().stream().anyMatch(m -> m.getText().startsWith("$.name")));
        assertThat(tooltip(robot, Field.NAME)).startsWith("Required: 1-64 lowercase").endsWith("($.name)");
        assertThat(errorText(robot, Field.NAME)).isNull();
        type(robot, Field.KEY_COLUMNS, "id");
        type(robot, Field.CURSOR_COLUMNS, "updated_at");
        await(10, "structurally valid", () -> shell.contracts().editor().validation().getValidationResult()
                .getErrors().isEmpty());
        assertThat(fxGet(() -> robot.lookup("#saveButton").queryButton().isDisabled())).isFalse();

        // the live check against the source finds the misspelt table and puts it on the table field
        robot.clickOn("#saveButton");
        await(20, "save finished", () -> !shell.contracts().model().editorProperty().get().busyProperty().get());
        await(20, "source error shown", () -> shell.contracts().model().editorProperty().get().fieldErrors()
                .containsKey(Field.TABLE));
        assertThat(inlineErrors()).anyMatch(m -> m.startsWith("$.table"));
        assertThat(fixture.engine(fixture.admin).contracts()).extracting(ContractRecord::name)
                .doesNotContain("orders-for-bob");

        type(robot, Field.TABLE, "orders");
        robot.clickOn("#saveButton");
        await(20, "saved", () -> shell.contracts().model().editorProperty().get().messageProperty().get()
                .startsWith("Saved orders-for-bob as version 1"));
        assertThat(fixture.engine(fixture.admin).contracts()).extracting(ContractRecord::name)
                .contains("orders-for-bob");
        assertThat(title(robot)).as("the editor's title names what was saved").isEqualTo("Contract orders-for-bob");

        robot.clickOn("#schemaButton");
        await(20, "schema preview", () -> !shell.contracts().model().editorProperty().get().schema().isEmpty());
        robot.clickOn("Table & columns");
        var editor = shell.contracts().model().editorProperty().get();
        String note = fxGet(() -> editor.schema().stream().map(c -> c.name())
                .filter(n -> n.equalsIgnoreCase("note")).findFirst().orElseThrow());
        robot.clickOn("#export-" + note);
        await(10, "unticked in the form", () -> !editor.field(Field.COLUMNS).get().isEmpty()
                && !editor.field(Field.COLUMNS).get().toLowerCase(java.util.Locale.ROOT).contains("note"));
        assertThat(fxGet(() -> editor.fieldErrors())).as("the picked columns keep the form's spellings").isEmpty();
        assertThat(fxGet(() -> robot.lookup("#saveButton").query().isDisabled())).isFalse();
        fx(() -> Screenshots.take(stage.getScene(), "contract-editor-schema"));
        robot.clickOn("#export-" + note);
        await(10, "all ticked again", () -> editor.field(Field.COLUMNS).get().isEmpty());
        robot.clickOn("Form");

        // version 2, then the side-by-side history
        type(robot, Field.MAX_LAG, "30m");
        robot.clickOn("#saveButton");
        await(20, "saved v2", () -> shell.contracts().model().editorProperty().get().messageProperty().get()
                .contains("version 2"));
        fx(() -> Screenshots.take(stage.getScene(), "contract-editor"));
        await(10, "list refreshed", () -> shell.contracts().model().contracts().stream()
                .anyMatch(c -> c.name().equals("orders-for-bob")));
        fx(() -> shell.contracts().model().selectedProperty().set(shell.contracts().model().contracts().stream()
                .filter(c -> c.name().equals("orders-for-bob")).findFirst().orElseThrow()));
        robot.clickOn("#historyButton");
        await(10, "history", () -> shell.contracts().model().historyProperty().get() != null
                && shell.contracts().model().historyProperty().get().changedLines() > 0);
        assertThat(fxGet(() -> shell.contracts().model().historyProperty().get().rows()))
                .anyMatch(r -> r.right().contains("30m") && !r.left().contains("30m"));
        fx(() -> Screenshots.take(stage.getScene(), "contract-history"));

        // search narrows the list
        robot.clickOn("#searchField").write("bob");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(fxGet(() -> shell.contracts().model().contracts().size())).isEqualTo(1);
        assertThat(fixture.engine(fixture.admin).audit(50)).anyMatch(e -> e.actor().equals("sam")
                && e.action().equals("contract.import"));
    }
}
