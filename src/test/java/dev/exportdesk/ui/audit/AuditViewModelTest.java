package dev.exportdesk.ui.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.ui.ConsoleContext;
import dev.exportdesk.ui.ConsoleFixture;
import dev.exportdesk.ui.DirectTaskRunner;
import dev.exportdesk.ui.RecordingDialogs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Audit filters by who and what, before/after detail, and the CSV report written in the background. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AuditViewModelTest {
    @TempDir
    Path dir;

    @Test
    void filtersAndExports() throws Exception {
        try (ConsoleFixture fixture = ConsoleFixture.open(dir, 100)) {
            RecordingDialogs dialogs = new RecordingDialogs();
            ConsoleContext ctx = fixture.context(fixture.admin, new DirectTaskRunner(), dialogs, Runnable::run);
            AuditViewModel vm = new AuditViewModel(ctx, new CsvAuditReport());
            vm.refresh();
            assertThat(vm.actors()).contains(AuditViewModel.ANY, "admin");
            assertThat(vm.actions()).contains("contract.import", "user.create");
            vm.actionProperty().set("contract.import");
            assertThat(vm.entries()).hasSize(2).allMatch(e -> e.action().equals("contract.import"));
            vm.textProperty().set("customers");
            assertThat(vm.entries()).singleElement().satisfies(e -> assertThat(e.subject()).startsWith("customers"));
            vm.selectedProperty().set(vm.entries().get(0));
            assertThat(vm.diff().summaryProperty().get()).startsWith("Nothing before:");
            assertThat(vm.diff().rows())
                    .anyMatch(r -> r.left().isEmpty() && r.right().contains("\"table\" : \"customers\""));
            dialogs.fileToSave = dir.resolve("audit.csv");
            vm.exportReport();
            List<String> lines = Files.readAllLines(dir.resolve("audit.csv"));
            assertThat(lines.get(0)).isEqualTo("id,at,actor,action,subject,before,after");
            assertThat(String.join("\n", lines)).contains(",admin,contract.import,customers-to-acme v1,");
            assertThat(vm.summaryProperty().get()).startsWith("1 of ");
        }
    }
}
