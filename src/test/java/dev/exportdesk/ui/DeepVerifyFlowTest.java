package dev.exportdesk.ui;

import static dev.exportdesk.ui.ConsoleTestSupport.await;
import static dev.exportdesk.ui.ConsoleTestSupport.fx;
import static dev.exportdesk.ui.ConsoleTestSupport.fxGet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.exportdesk.access.Role;
import dev.exportdesk.access.User;
import dev.exportdesk.engine.ProgressListener;
import dev.exportdesk.engine.runs.RunResult;
import dev.exportdesk.store.ChunkPageQuery;
import dev.exportdesk.ui.audit.LedgerStatusViewModel;
import dev.exportdesk.ui.runs.ChunkRow;
import dev.exportdesk.ui.shell.ShellViewModel.Screen;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Issue 5 in the console: after an export from a real H2 source, one source row is updated in
 * place and another deleted. An auditor runs Deep verify from the run detail; exactly the chunk
 * holding both rows is reconciled as "missing at source" with drift counts 1/1/0 in the table, and
 * selecting it shows the two keys bisection found, each with its kind.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DeepVerifyFlowTest extends ConsoleFlowTest {
    private User auditor;
    private RunResult run;
    private long changedId;
    private long deletedId;

    @Start
    void start(Stage stage) throws Exception {
        fixture = ConsoleFixture.open(dir, 6_000);
        run = fixture.engine(fixture.admin).run("orders-to-acme", ProgressListener.NONE);
        assertThat(run.completed()).isTrue();
        try (Connection c = DriverManager.getConnection(fixture.shop.jdbcUrl(), "sa", "")) {
            // the 6th and 16th rows in cursor order: both in the first chunk (2,000 rows)
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT id FROM orders ORDER BY updated_at, id LIMIT 16")) {
                for (int i = 1; rs.next(); i++) {
                    if (i == 6) {
                        changedId = rs.getLong(1);
                    } else if (i == 16) {
                        deletedId = rs.getLong(1);
                    }
                }
            }
            try (PreparedStatement up = c.prepareStatement("UPDATE orders SET note = 'changed after export' "
                    + "WHERE id = ?"); PreparedStatement del = c.prepareStatement("DELETE FROM orders WHERE id = ?")) {
                up.setLong(1, changedId);
                del.setLong(1, deletedId);
                assertThat(up.executeUpdate()).isEqualTo(1);
                assertThat(del.executeUpdate()).isEqualTo(1);
            }
        }
        auditor = fixture.user("ada", Role.AUDITOR);
        openConsole(stage, auditor, "EXPORTS");
    }

    @Test
    void deepVerifyShowsTheExactDifferingKeysOfTheMismatchedChunk(FxRobot robot) throws Exception {
        fx(() -> shell.openRun(run.run().id()));
        var detail = shell.runDetail().model();
        await(20, "chunks loaded", () -> !detail.loadingProperty().get() && detail.allChunks().size() == 3);
        assertThat(fxGet(() -> detail.allChunks().stream().noneMatch(ChunkRow::reconciled))).isTrue();
        assertThat(fxGet(() -> robot.lookup("#deepVerifyButton").queryButton().isDisabled())).isFalse();

        robot.clickOn("#deepVerifyButton");
        await(90, "deep verification shown", () -> !detail.deepVerifyingProperty().get()
                && !detail.loadingProperty().get() && detail.allChunks().size() == 3
                && detail.allChunks().stream().allMatch(ChunkRow::reconciled));
        List<ChunkRow> rows = fxGet(() -> List.copyOf(detail.allChunks()));
        assertThat(rows).extracting(ChunkRow::seq, ChunkRow::outcome, ChunkRow::driftCounts).containsExactly(
                tuple(1, "missing at source", "1/1/0"), tuple(2, "match", "0/0/0"), tuple(3, "match", "0/0/0"));
        assertThat(dialogs.notifications).anyMatch(n -> n.contains("Deep verification found differences"));

        // the table's columns show the outcome and the counts
        TableView<?> table = robot.lookup("#chunkTable").queryTableView();
        assertThat(fxGet(() -> table.getColumns().stream().map(c -> c.getText()).toList()))
                .contains("Reconciliation", "Changed/missing/late");
        assertThat(fxGet(() -> table.getColumns().stream().filter(c -> c.getText().equals("Reconciliation"))
                .findFirst().orElseThrow().getCellData(0))).isEqualTo("missing at source");

        // mismatches only, select the chunk: the keys bisection found, each with its kind
        robot.clickOn("#mismatchBox");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(fxGet(() -> table.getItems().size())).isEqualTo(1);
        fx(() -> table.getSelectionModel().select(0));
        await(20, "differing keys read", () -> detail.differingKeys().size() == 2);
        assertThat(fxGet(() -> List.copyOf(detail.differingKeys())))
                .extracting(ChunkPageQuery.DifferingKey::rowKey, ChunkPageQuery.DifferingKey::kind)
                .containsExactlyInAnyOrder(tuple("[" + changedId + "]", "CHANGED"),
                        tuple("[" + deletedId + "]", "MISSING"));
        TableView<ChunkPageQuery.DifferingKey> keys =
                robot.lookup("#keysTable").<ChunkPageQuery.DifferingKey>queryTableView();
        assertThat(fxGet(() -> keys.getItems().size())).isEqualTo(2);
        String text = fxGet(() -> robot.lookup("#detailArea").queryTextInputControl().getText());
        assertThat(text).contains("Reconciliation: missing at source · 1 changed, 1 missing, 0 late")
                .contains("[" + changedId + "]  changed since export")
                .contains("[" + deletedId + "]  missing at source");

        // the engine recorded the pass as the auditor
        assertThat(fixture.engine(fixture.admin).audit(30)).anyMatch(e -> e.actor().equals("ada")
                && e.action().equals("run.reconcile"));

        fxGet(() -> Screenshots.take(stage.getScene(), "run-detail-differing-keys"));

        // the Audit screen's ledger status: the run's signed checkpoint, then Verify ledger
        fx(() -> shell.show(Screen.AUDIT));
        var ledger = shell.audit().model().ledger();
        await(20, "ledger status read", () -> ledger.treeSizeProperty().get() > 0);
        String stored = fixture.workspace.store().inTransaction(c -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT tree_size, root_hash "
                    + "FROM ledger_checkpoints ORDER BY tree_size DESC FETCH FIRST 1 ROWS ONLY")) {
                rs.next();
                return "tree size " + rs.getLong(1) + " · root " + rs.getString(2) + " · signed ";
            }
        });
        assertThat(fxGet(() -> robot.lookup("#checkpointLabel").queryLabeled().getText())).startsWith(stored);
        assertThat(fxGet(() -> robot.lookup("#fingerprintLabel").queryLabeled().getText())).startsWith("SHA256:");
        robot.clickOn("#verifyLedgerButton");
        await(30, "ledger verified", () -> ledger.resultProperty().get() == LedgerStatusViewModel.Result.PASS
                && !ledger.busyProperty().get());
        assertThat(fxGet(() -> robot.lookup("#ledgerResultLabel").queryLabeled().getText()))
                .startsWith("intact — pass: ").contains("by ada");
        fxGet(() -> Screenshots.take(stage.getScene(), "audit-ledger"));

        // the dashboard's drift history: one pass, 1 changed and 1 missing; clicking it opens the run
        fx(() -> shell.show(Screen.DASHBOARD));
        await(20, "dashboard read", () -> shell.dashboard() != null
                && shell.dashboard().model().contracts().contains("orders-to-acme"));
        fx(() -> shell.dashboard().model().contractProperty().set("orders-to-acme"));
        await(20, "drift point drawn", () -> robot.lookup("#drift-missing-1").tryQuery().isPresent());
        assertThat(fxGet(() -> List.copyOf(shell.dashboard().model().drift())))
                .extracting(p -> p.changed(), p -> p.missing(), p -> p.late()).containsExactly(tuple(1L, 1L, 0L));
        fxGet(() -> Screenshots.take(stage.getScene(), "dashboard-drift"));
        robot.clickOn((javafx.scene.Node) robot.lookup("#drift-missing-1").query());
        await(10, "the pass's run opens", () -> shell.model().screenProperty().get() == Screen.RUN
                && shell.runDetail().model().runId().equals(run.run().id()));
    }
}
