package dev.exportdesk.ui.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.store.AuditEntry;
import dev.exportdesk.ui.ConsoleContext;
import dev.exportdesk.ui.ConsoleFixture;
import dev.exportdesk.ui.DirectTaskRunner;
import dev.exportdesk.ui.RecordingDialogs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit log says what happened: opening a contract in the editor is a read, writing it to a file an export. */
class ContractsViewModelTest {
    @TempDir
    Path dir;

    @Test
    void openingAContractIsNotAuditedAsAnExport() throws Exception {
        try (ConsoleFixture fixture = ConsoleFixture.open(dir, 20)) {
            ConsoleContext context = fixture.context(fixture.admin, new DirectTaskRunner(), new RecordingDialogs(),
                    Runnable::run);
            ContractsViewModel vm = new ContractsViewModel(context);
            vm.refresh();
            vm.selectedProperty().set(vm.contracts().get(0));
            vm.editSelected();
            assertThat(vm.editorProperty().get()).isNotNull();
            assertThat(exports(fixture)).isEmpty();

            Path file = dir.resolve("out.json");
            vm.exportTo(vm.contracts().get(0).name(), file);
            assertThat(Files.readString(file)).contains("\"source\"");
            assertThat(exports(fixture)).hasSize(1);
        }
    }

    private static List<AuditEntry> exports(ConsoleFixture fixture) {
        return fixture.workspace.store().inTransaction(c -> fixture.workspace.store().audit().recent(c, 1000))
                .stream().filter(e -> e.action().equals("contract.export")).toList();
    }
}
