package dev.exportdesk.ui;

import static dev.exportdesk.ui.ConsoleTestSupport.await;
import static dev.exportdesk.ui.ConsoleTestSupport.fx;
import static dev.exportdesk.ui.ConsoleTestSupport.fxGet;
import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.access.Role;
import dev.exportdesk.access.User;
import dev.exportdesk.engine.ProgressListener;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * An auditor on the Audit screen opens the contract report dialog, picks the contract and a file,
 * and exports a PDF of the contract's runs in the background; an operator's button is disabled.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ContractReportFlowTest extends ConsoleFlowTest {

    @Start
    void start(Stage stage) throws Exception {
        fixture = ConsoleFixture.open(dir, 3_000);
        assertThat(fixture.engine(fixture.admin).run("orders-to-acme", ProgressListener.NONE).completed()).isTrue();
        User ada = fixture.user("ada", Role.AUDITOR);
        openConsole(stage, ada, "AUDIT");
    }

    @Test
    void anAuditorExportsAContractReportFromTheAuditScreen(FxRobot robot) throws Exception {
        await(20, "audit log read", () -> !shell.audit().model().entries().isEmpty());
        assertThat(fxGet(() -> robot.lookup("#contractReportButton").queryButton().isDisabled())).isFalse();
        robot.clickOn("#contractReportButton");
        await(10, "dialog open with contracts", () -> shell.audit().contractReportDialog() != null
                && shell.audit().contractReportDialog().model().contracts().size() == 2);
        var dialog = shell.audit().contractReportDialog().model();
        fx(() -> dialog.contractProperty().set("orders-to-acme"));
        assertThat(fxGet(() -> robot.lookup("#writeReportButton").queryButton().isDisabled()))
                .as("no output file yet").isTrue();
        Path pdf = dir.resolve("reports").resolve("orders-to-acme.pdf");
        dialogs.fileToSave = pdf;
        robot.clickOn("#chooseOutputButton");
        await(5, "output chosen", () -> dialog.outputProperty().get().endsWith("orders-to-acme.pdf"));
        robot.clickOn("#writeReportButton");
        await(60, "report written", () -> dialog.statusProperty().get().startsWith("Written"));
        assertThat(new String(Files.readAllBytes(pdf), 0, 5, StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
        assertThat(fxGet(() -> dialog.statusProperty().get())).contains("1 run(s)");
        fx(() -> Screenshots.take(robot.lookup("#writeReportButton").query().getScene(), "audit-contract-report"));
        robot.clickOn("#closeReportButton");
        await(5, "dialog closed", () -> robot.lookup("#closeReportButton").tryQuery().isEmpty());
        assertThat(fixture.engine(fixture.admin).audit(20)).anyMatch(e -> e.actor().equals("ada")
                && e.action().equals("report.export") && e.subject().startsWith("contract orders-to-acme"));
    }
}
