package dev.exportdesk.ui.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.exportdesk.access.AccessDeniedException;
import dev.exportdesk.access.Role;
import dev.exportdesk.access.User;
import dev.exportdesk.engine.ProgressListener;
import dev.exportdesk.engine.runs.RunResult;
import dev.exportdesk.store.ChunkRecord;
import dev.exportdesk.ui.ConsoleFixture;
import dev.exportdesk.ui.DirectTaskRunner;
import dev.exportdesk.ui.RecordingDialogs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract report dialog's model on a real workspace with one completed run, no toolkit: an
 * auditor writes the contract's CSV report for a range that holds the run (and it lists the run's
 * chunk files, audited with the auditor's name); a range before the run writes an empty report
 * and says so; a reversed range cannot be exported; an operator's dialog is disabled and the
 * engine refuses the call itself.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ContractReportViewModelTest {
    @TempDir
    static Path dir;
    static ConsoleFixture fixture;
    static RunResult run;

    @BeforeAll
    static void open() throws Exception {
        fixture = ConsoleFixture.open(dir, 3_000);
        run = fixture.engine(fixture.admin).run("orders-to-acme", ProgressListener.NONE);
        assertThat(run.completed()).isTrue();
    }

    @AfterAll
    static void close() {
        fixture.close();
    }

    private ContractReportViewModel model(User user, RecordingDialogs dialogs) {
        ContractReportViewModel m = new ContractReportViewModel(fixture.context(user, new DirectTaskRunner(), dialogs,
                Runnable::run));
        m.load();
        return m;
    }

    @Test
    void anAuditorWritesTheContractsReportForADateRange() throws Exception {
        User ada = fixture.user("ada", Role.AUDITOR);
        RecordingDialogs dialogs = new RecordingDialogs();
        ContractReportViewModel m = model(ada, dialogs);
        assertThat(m.contracts()).containsExactly("customers-to-acme", "orders-to-acme");
        m.contractProperty().set("orders-to-acme");
        assertThat(m.problemProperty().get()).isEqualTo("Choose where to write the report.");
        Path out = dir.resolve("reports").resolve("orders.pdf");
        dialogs.fileToSave = out;
        m.chooseOutput();
        m.formatProperty().set("CSV");
        assertThat(m.outputProperty().get()).endsWith("orders.csv");
        assertThat(m.problemProperty().get()).isEmpty();
        m.export();
        Path csv = dir.resolve("reports").resolve("orders.csv");
        String text = Files.readString(csv);
        List<ChunkRecord> chunks = fixture.workspace.store().inTransaction(c -> fixture.workspace.store().chunks()
                .forRun(c, run.run().id()));
        assertThat(chunks).isNotEmpty().allSatisfy(ch -> assertThat(text).contains(ch.fileName()));
        assertThat(m.statusProperty().get()).startsWith("Written: ").contains("1 run(s)");
        assertThat(dialogs.errors).isEmpty();
        assertThat(fixture.engine(fixture.admin).audit(20)).anyMatch(e -> e.actor().equals("ada")
                && e.action().equals("report.export") && e.subject().startsWith("contract orders-to-acme")
                && e.after().startsWith("csv orders.csv"));
    }

    @Test
    void aRangeBeforeTheRunWritesAnEmptyReportAndSaysSo() throws Exception {
        RecordingDialogs dialogs = new RecordingDialogs();
        ContractReportViewModel m = model(fixture.admin, dialogs);
        m.contractProperty().set("orders-to-acme");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        m.fromProperty().set(today.minusDays(10));
        m.toProperty().set(today.minusDays(1));
        m.formatProperty().set("JSON");
        Path out = dir.resolve("reports").resolve("empty.json");
        m.outputProperty().set(out.toString());
        m.export();
        assertThat(Files.readString(out)).doesNotContain(run.run().id());
        assertThat(m.statusProperty().get()).contains("0 run(s)").contains("no run of orders-to-acme finished");
        assertThat(dialogs.notifications).anyMatch(n -> n.startsWith("WARNING Report written"));

        m.fromProperty().set(today);
        m.toProperty().set(today.minusDays(1));
        assertThat(m.problemProperty().get()).contains("\"From\" is after \"to\"");
        assertThat(m.canExportBinding().get()).isFalse();
    }

    @Test
    void anOperatorMayNotExportReports() {
        User otto = fixture.user("otto", Role.OPERATOR);
        ContractReportViewModel m = model(otto, new RecordingDialogs());
        m.contractProperty().set("orders-to-acme");
        m.outputProperty().set(dir.resolve("reports").resolve("otto.pdf").toString());
        assertThat(m.canExportBinding().get()).isFalse();
        assertThat(m.problemProperty().get()).contains("role does not allow");
        assertThatThrownBy(() -> fixture.engine(otto).ledger().writeContractReport("orders-to-acme", null, null, "pdf",
                dir.resolve("reports").resolve("otto.pdf"))).isInstanceOf(AccessDeniedException.class);
        assertThat(dir.resolve("reports").resolve("otto.pdf")).doesNotExist();
        assertThat(fixture.engine(fixture.admin).audit(20)).anyMatch(e -> e.actor().equals("otto")
                && e.action().equals("access.denied") && e.subject().equals("export reports"));
    }
}
