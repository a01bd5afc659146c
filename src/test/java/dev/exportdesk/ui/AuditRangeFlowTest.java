package dev.exportdesk.ui;

import static dev.exportdesk.ui.ConsoleTestSupport.await;
import static dev.exportdesk.ui.ConsoleTestSupport.fx;
import static dev.exportdesk.ui.ConsoleTestSupport.fxGet;
import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.store.AuditEntry;
import dev.exportdesk.store.StateStore;
import dev.exportdesk.ui.audit.AuditRange;
import dev.exportdesk.ui.audit.AuditViewModel;
import dev.exportdesk.ui.contracts.LineDiff;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.ComboBox;
import javafx.scene.control.DatePicker;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * An admin on the Audit screen types a date range and sees only the entries in it, types an
 * impossible one and is told so, picks "Last 7 days", and selects a contract change to see its
 * before and after side by side, the changed line marked and a long line drawn whole.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AuditRangeFlowTest extends ConsoleFlowTest {
    private static final String WIDE = "a long note ".repeat(40);
    private final Instant now = Instant.now();

    @Start
    void start(Stage stage) throws Exception {
        fixture = ConsoleFixture.open(dir, 0);
        StateStore store = fixture.workspace.store();
        store.updateDurably(c -> {
            store.audit().append(c, now.minus(Duration.ofDays(40)), "admin", "user.role", "bob", "operator", "auditor");
            store.audit().append(c, now.minus(Duration.ofDays(2)), "admin", "contract.import", "orders v2",
                    "{\n  \"version\" : 1,\n  \"note\" : \"" + WIDE + "\"\n}",
                    "{\n  \"version\" : 2,\n  \"note\" : \"" + WIDE + "\"\n}");
        });
        openConsole(stage, fixture.admin, "AUDIT");
    }

    @Test
    void aRangeShowsOnlyItsEntriesAndASelectedEntryItsDiff(FxRobot robot) {
        TableView<AuditEntry> table = robot.lookup("#auditTable").queryTableView();
        await(20, "audit log read", () -> subjects(table).containsAll(List.of("bob", "orders v2")));

        type(robot, "#fromPicker", day(45));
        type(robot, "#toPicker", day(35));
        await(20, "only the entry in the range", () -> subjects(table).equals(List.of("bob")));
        assertThat(fxGet(() -> robot.lookup("#actorBox").queryComboBox().getValue()))
                .as("the other filters still read \"any\" after the choices are listed again")
                .isEqualTo(AuditViewModel.ANY);

        type(robot, "#toPicker", day(50));
        await(10, "the impossible range refused", () -> table.getItems().isEmpty());
        assertThat(fxGet(() -> robot.lookup("#rangeProblemLabel").queryLabeled().getText()))
                .contains("is after").contains(day(50).toString());

        ComboBox<AuditRange.Period> period = robot.lookup("#periodBox").query();
        fx(() -> period.getSelectionModel().select(AuditRange.Period.LAST_7_DAYS));
        await(20, "the last 7 days", () -> subjects(table).contains("orders v2") && !subjects(table).contains("bob"));
        assertThat(fxGet(() -> robot.lookup("#rangeProblemLabel").queryLabeled().getText())).isEmpty();
        assertThat(fxGet(() -> robot.lookup("#fromPicker").queryAs(DatePicker.class).getValue())).isNull();

        fx(() -> table.getSelectionModel().select(table.getItems().stream()
                .filter(e -> e.subject().equals("orders v2")).findFirst().orElseThrow()));
        TableView<LineDiff.Row> diff = robot.lookup("#diffTable").queryTableView();
        await(20, "the diff shown", () -> !diff.getItems().isEmpty());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(fxGet(() -> List.copyOf(diff.getItems()))).filteredOn(r -> r.kind() != LineDiff.Kind.SAME)
                .singleElement().satisfies(r -> {
                    assertThat(r.left()).contains("\"version\" : 1");
                    assertThat(r.right()).contains("\"version\" : 2");
                });
        assertThat(fxGet(() -> robot.from(diff).lookup(".diff-added").queryAll().size())).isEqualTo(1);
        assertThat(fxGet(() -> robot.lookup("#diffSummaryLabel").queryLabeled().getText()))
                .isEqualTo("1 line(s) differ.");
        // the long line is wrapped in its column, not cut off: whole text, wrapped narrower than it is long
        List<Text> wide = fxGet(() -> robot.from(diff).lookup(".diff-text").<Text>queryAll().stream()
                .filter(t -> t.getText().contains(WIDE)).toList());
        assertThat(wide).hasSize(2).allSatisfy(t -> {
            assertThat(t.getWrappingWidth()).isPositive();
            assertThat(fxGet(() -> t.getLayoutBounds().getHeight())).isGreaterThan(2 * t.getFont().getSize());
        });
        fx(() -> Screenshots.take(stage.getScene(), "audit-diff"));
    }

    private static List<String> subjects(TableView<AuditEntry> table) {
        return fxGet(() -> table.getItems().stream().map(AuditEntry::subject).toList());
    }

    private void type(FxRobot robot, String picker, LocalDate day) {
        DatePicker p = robot.lookup(picker).queryAs(DatePicker.class);
        robot.clickOn(p.getEditor());
        fx(() -> p.getEditor().clear());
        robot.write(day.toString()).type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
    }

    private LocalDate day(int daysAgo) {
        return LocalDate.ofInstant(now.minus(Duration.ofDays(daysAgo)), ZoneOffset.UTC);
    }
}
