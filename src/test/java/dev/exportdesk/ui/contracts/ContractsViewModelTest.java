package dev.exportdesk.ui.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.access.Role;
import dev.exportdesk.demo.DemoContracts;
import dev.exportdesk.store.ContractRecord;
import dev.exportdesk.ui.ConsoleFixture;
import dev.exportdesk.ui.DirectTaskRunner;
import dev.exportdesk.ui.RecordingDialogs;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Contracts screen: the partner filter is set, kept by a refresh (F5) and cleared again by "All
 * partners"; opening a contract is a read, writing it to a file an audited export.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ContractsViewModelTest {
    @TempDir
    static Path dir;
    static ConsoleFixture fixture;

    @BeforeAll
    static void open() throws Exception {
        fixture = ConsoleFixture.open(dir, 200);
        fixture.engine(fixture.admin).importContract(DemoContracts.orders(fixture.drop)
                .replace("orders-to-acme", "orders-to-globex").replace("\"acme\"", "\"globex\""), "globex.json");
    }

    @AfterAll
    static void close() {
        fixture.close();
    }

    @Test
    void thePartnerFilterCanBeClearedAgain() {
        ContractsViewModel vm = new ContractsViewModel(fixture.context(fixture.user("stu", Role.STEWARD),
                new DirectTaskRunner(), new RecordingDialogs(), Runnable::run));
        vm.refresh();
        assertThat(vm.contracts()).hasSize(3);
        assertThat(vm.partners()).extracting(Object::toString)
                .containsExactly("All partners (3)", "acme (2)", "globex (1)");

        vm.partnerProperty().set(vm.partners().get(2));
        assertThat(vm.contracts()).extracting(ContractRecord::name).containsExactly("orders-to-globex");
        vm.refresh(); // F5 re-reads and keeps the chosen partner
        assertThat(vm.partnerProperty().get().partner()).isEqualTo("globex");
        assertThat(vm.contracts()).hasSize(1);
        assertThat(vm.messageProperty().get()).contains("globex");

        vm.partnerProperty().set(vm.partners().get(0)); // "All partners": the filter is off
        assertThat(vm.contracts()).hasSize(3);
        vm.refresh();
        assertThat(vm.contracts()).hasSize(3);
        assertThat(vm.partnerProperty().get().toString()).isEqualTo("All partners (3)");
    }

    @Test
    void openingAContractIsNotAuditedAsAnExport() throws Exception {
        ContractsViewModel vm = new ContractsViewModel(fixture.context(fixture.admin, new DirectTaskRunner(),
                new RecordingDialogs(), Runnable::run));
        vm.refresh();
        vm.selectedProperty().set(vm.contracts().get(0));
        vm.editSelected();
        assertThat(vm.editorProperty().get()).as("the editor opened").isNotNull();
        assertThat(exports()).isEmpty();

        Path file = dir.resolve("out.json");
        vm.exportTo(vm.contracts().get(0).name(), file);
        assertThat(java.nio.file.Files.readString(file)).contains("\"source\"");
        assertThat(exports()).hasSize(1);
    }

    private static java.util.List<dev.exportdesk.store.AuditEntry> exports() {
        return fixture.workspace.store().inTransaction(c -> fixture.workspace.store().audit().recent(c, 1000))
                .stream().filter(e -> e.action().equals("contract.export")).toList();
    }
}
