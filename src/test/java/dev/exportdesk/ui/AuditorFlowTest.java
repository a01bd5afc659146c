package dev.exportdesk.ui;

import static dev.exportdesk.ui.ConsoleTestSupport.await;
import static dev.exportdesk.ui.ConsoleTestSupport.fx;
import static dev.exportdesk.ui.ConsoleTestSupport.fxGet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.exportdesk.access.AccessDeniedException;
import dev.exportdesk.access.GuardedEngine;
import dev.exportdesk.access.Role;
import dev.exportdesk.access.User;
import dev.exportdesk.demo.DemoContracts;
import dev.exportdesk.engine.ProgressListener;
import dev.exportdesk.engine.runs.RunResult;
import dev.exportdesk.store.ContractRecord;
import dev.exportdesk.ui.runs.ChunkRow;
import dev.exportdesk.ui.shell.ShellViewModel.Screen;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * An auditor can read and verify but not edit or run: the edit controls are disabled AND the
 * engine-side guard refuses (and audits the attempt). Verifying a run whose second chunk was
 * corrupted at the partner marks exactly that chunk as mismatched; "mismatches only" finds it.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AuditorFlowTest extends ConsoleFlowTest {
    private User auditor;
    private RunResult run;
    private String corrupted;

    @Start
    void start(Stage stage) throws Exception {
        fixture = ConsoleFixture.open(dir, 6_000);
        run = fixture.engine(fixture.admin).run("orders-to-acme", ProgressListener.NONE);
        assertThat(run.completed()).isTrue();
        try (Stream<Path> files = Files.walk(fixture.drop)) {
            Path chunk = files.filter(f -> f.getFileName().toString().startsWith("chunk-000002")).findFirst()
                    .orElseThrow();
            corrupted = chunk.getFileName().toString();
            byte[] bytes = Files.readAllBytes(chunk);
            bytes[bytes.length / 2] ^= 0x5a;
            Files.write(chunk, bytes);
        }
        auditor = fixture.user("ada", Role.AUDITOR);
        openConsole(stage, auditor, "CONTRACTS");
    }

    @Test
    void auditorCannotEditButCanVerifyAndFindTheMismatchedChunk(FxRobot robot) throws Exception {
        var contracts = shell.contracts().model();
        await(20, "contracts listed", () -> contracts.contracts().size() == 2);
        assertThat(fxGet(() -> robot.lookup("#newButton").queryButton().isDisabled())).isTrue();
        assertThat(fxGet(() -> robot.lookup("#importButton").queryButton().isDisabled())).isTrue();
        fx(() -> contracts.selectedProperty().set(contracts.contracts().stream()
                .filter(c -> c.name().equals("orders-to-acme")).findFirst().orElseThrow()));
        robot.clickOn("#editButton");
        await(10, "editor open", () -> shell.contracts().editor() != null);
        assertThat(fxGet(() -> robot.lookup("#saveButton").queryButton().isDisabled())).isTrue();
        assertThat(fxGet(() -> robot.lookup("#field-name").queryAs(TextField.class).isEditable())).isFalse();
        fx(() -> Screenshots.take(stage.getScene(), "contract-editor-auditor"));

        // not only hidden: the engine-side guard refuses and records the attempt
        GuardedEngine asAuditor = fixture.engine(auditor);
        String json = DemoContracts.orders(fixture.drop).replace("1h", "2h");
        assertThatThrownBy(() -> asAuditor.importContract(json, "tampered.json"))
                .isInstanceOf(AccessDeniedException.class).hasMessageContaining("ada (auditor) may not edit contracts");
        assertThatThrownBy(() -> asAuditor.run("orders-to-acme", ProgressListener.NONE))
                .isInstanceOf(AccessDeniedException.class);
        assertThat(fixture.engine(fixture.admin).history("orders-to-acme")).hasSize(1);
        assertThat(fixture.engine(fixture.admin).audit(20)).anyMatch(e -> e.actor().equals("ada")
                && e.action().equals("access.denied") && e.subject().equals("edit contracts"));

        // exports: no Run for an auditor
        fx(() -> shell.show(Screen.EXPORTS));
        await(20, "runs listed", () -> shell.exports().model().runs().size() == 1);
        fx(() -> shell.exports().model().selectedContractProperty().set(shell.exports().model().schedule().get(0)));
        assertThat(fxGet(() -> robot.lookup("#runButton").queryButton().isDisabled())).isTrue();

        // verify the run: exactly the corrupted chunk is mismatched
        fx(() -> shell.openRun(run.run().id()));
        var detail = shell.runDetail().model();
        await(20, "chunks loaded", () -> !detail.loadingProperty().get() && detail.allChunks().size() == 3);
        assertThat(fxGet(() -> robot.lookup("#verifyButton").queryButton().isDisabled())).isFalse();
        robot.clickOn("#verifyButton");
        await(30, "verification recorded", () -> !detail.loadingProperty().get()
                && detail.allChunks().stream().allMatch(c -> c.check() != null));
        List<ChunkRow> mismatched = fxGet(() -> detail.allChunks().stream().filter(ChunkRow::mismatch).toList());
        assertThat(mismatched).extracting(ChunkRow::fileName).containsExactly(corrupted);
        robot.clickOn("#mismatchBox");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(fxGet(() -> robot.lookup("#chunkTable").queryTableView().getItems().size())).isEqualTo(1);
        fx(() -> robot.lookup("#chunkTable").queryTableView().getSelectionModel().select(0));
        assertThat(fxGet(() -> robot.lookup("#detailArea").queryTextInputControl().getText())).contains(corrupted);
        fx(() -> Screenshots.take(stage.getScene(), "run-detail-mismatch"));
        assertThat(dialogs.notifications).anyMatch(n -> n.contains("Verification failed"));
        assertThat(fixture.engine(fixture.admin).audit(20)).anyMatch(e -> e.actor().equals("ada")
                && e.action().equals("run.verify"));
        // the auditor exports the run's report (issue 5's report writer), in the background
        Path pdf = dir.resolve("reports").resolve("run-1.pdf");
        dialogs.fileToSave = pdf;
        robot.clickOn("#reportButton");
        await(60, "pdf report written", () -> Files.exists(pdf));
        assertThat(new String(Files.readAllBytes(pdf), 0, 5, java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo("%PDF-");
        Path csv = dir.resolve("reports").resolve("run-1.csv");
        dialogs.fileToSave = csv;
        robot.clickOn("#reportButton");
        await(60, "csv report written", () -> Files.exists(csv));
        assertThat(Files.readString(csv)).contains(corrupted);
        assertThat(fixture.engine(fixture.admin).audit(30)).anyMatch(e -> e.actor().equals("ada")
                && e.action().equals("report.export"));
        // the dark theme, for the record
        fx(() -> shell.model().toggleTheme());
        fx(() -> Screenshots.take(stage.getScene(), "run-detail-mismatch-dark"));
        assertThat(fixture.engine(fixture.admin).contracts()).extracting(ContractRecord::name).hasSize(2);
    }
}
