package dev.exportdesk.ui;

import static dev.exportdesk.ui.ConsoleTestSupport.await;
import static dev.exportdesk.ui.ConsoleTestSupport.fx;
import static dev.exportdesk.ui.ConsoleTestSupport.fxGet;
import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.access.Role;
import dev.exportdesk.engine.ProgressListener;
import dev.exportdesk.engine.receipts.AckService;
import dev.exportdesk.engine.runs.RunResult;
import dev.exportdesk.store.ChunkRecord;
import dev.exportdesk.ui.runs.ChunkRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * What an operator sees in the chunk table after the partner's receipt came back judged: one chunk
 * acknowledged, one to redeliver with the partner's hash, one the receipt forgot; Verify delivery
 * fills "SHA-256 at destination" for each.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReceiptsFlowTest extends ConsoleFlowTest {
    private RunResult run;

    @Start
    void start(Stage stage) throws Exception {
        fixture = ConsoleFixture.open(dir, 6_000);
        var admin = fixture.engine(fixture.admin);
        PartnerReceipts.expectReceipts(fixture);
        run = admin.run("orders-to-acme", ProgressListener.NONE);
        admin.verification().verify(run.run().id());
        List<ChunkRecord> chunks = fixture.workspace.store().inTransaction(c -> fixture.workspace.store().chunks()
                .forRun(c, run.run().id()));
        Path runDir = fixture.drop.resolve(String.format("%s/run-%06d", run.run().contractName(), run.run().sequence()));
        Files.writeString(runDir.resolve(AckService.ACK_FILE), """
                {"format": "exportdesk-ack/1", "run_id": "%s", "manifest_sha256": "%s", "chunks": [
                  {"file": "%s", "sha256": "%s"}, {"file": "%s", "sha256": "%s"}]}
                """.formatted(run.run().id(), run.run().manifestSha256(), chunks.get(0).fileName(),
                chunks.get(0).sha256(), chunks.get(1).fileName(), "0".repeat(64)));
        dev.exportdesk.engine.EngineServices.of(fixture.base).acks().poll(run.run().id());
        openConsole(stage, fixture.user("olga", Role.OPERATOR), "EXPORTS");
    }

    @Test
    void theChunkTableShowsReceiptsAndDestinationHashes(FxRobot robot) {
        fx(() -> shell.openRun(run.run().id()));
        var detail = shell.runDetail().model();
        await(20, "chunks loaded", () -> !detail.loadingProperty().get() && detail.allChunks().size() == 3);
        List<ChunkRow> rows = fxGet(() -> List.copyOf(detail.allChunks()));
        assertThat(rows).extracting(ChunkRow::receiptText).containsExactly("ACKNOWLEDGED",
                "REDELIVERED — sent again (redelivery 1): partner computed sha256 " + "0".repeat(64) + ", delivered "
                        + rows.get(1).sha256(),
                "REDELIVERED — sent again (redelivery 1): not listed in the receipt");
        assertThat(rows).allSatisfy(r -> assertThat(r.destinationSha256()).isEqualTo(r.sha256()));
        fx(() -> robot.lookup("#chunkTable").queryTableView().getSelectionModel().select(1));
        assertThat(fxGet(() -> robot.lookup("#detailArea").queryTextInputControl().getText()))
                .contains("Receipt REDELIVER");
        // the column is narrower than a reason: the cell's tooltip carries the whole text
        javafx.scene.control.TableCell<?, ?> cell = fxGet(() -> robot.lookup(".table-cell").queryAll().stream()
                .map(n -> (javafx.scene.control.TableCell<?, ?>) n)
                .filter(c -> c.getText() != null && c.getText().endsWith("not listed in the receipt")).findFirst()
                .orElseThrow());
        assertThat(fxGet(() -> cell.getTooltip().getText()))
                .isEqualTo("REDELIVERED — sent again (redelivery 1): not listed in the receipt");
        fx(() -> Screenshots.take(stage.getScene(), "run-detail-receipts"));
    }
}
