package dev.exportdesk.ui.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.access.Role;
import dev.exportdesk.demo.DemoContracts;
import dev.exportdesk.ui.ConnectionTimeout;
import dev.exportdesk.ui.ConsoleFixture;
import dev.exportdesk.ui.DirectTaskRunner;
import dev.exportdesk.ui.contracts.ContractForm.Field;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The editor's view model without a toolkit, on a real workspace and H2 source. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ContractEditorViewModelTest {
    @TempDir
    static Path dir;
    static ConsoleFixture fixture;

    @BeforeAll
    static void open() throws Exception {
        fixture = ConsoleFixture.open(dir, 500);
    }

    @AfterAll
    static void close() {
        fixture.close();
    }

    @Test
    void everyEngineErrorLandsOnItsField() {
        ContractEditorViewModel vm = new ContractEditorViewModel(fixture.engine(fixture.admin), new DirectTaskRunner(),
                null);
        assertThat(vm.validProperty().get()).isFalse();
        assertThat(vm.fieldErrors()).containsKeys(Field.NAME, Field.PARTNER, Field.SOURCE,
                Field.TABLE, Field.KEY_COLUMNS, Field.DESTINATION_PATH);
        assertThat(vm.fieldErrors().get(Field.NAME)).isEqualTo("$.name: is required");
        vm.field(Field.NAME).set("Bad Name");
        assertThat(vm.fieldErrors().get(Field.NAME)).startsWith("$.name: must be 1-64 lowercase");
        vm.field(Field.NAME).set("good-name");
        vm.field(Field.PARTNER).set("bob");
        assertThat(vm.sourceNames()).containsExactly("demo-shop");
        vm.field(Field.SOURCE).set("demo-shop");
        vm.field(Field.TABLE).set("orders");
        vm.field(Field.KEY_COLUMNS).set("id");
        vm.field(Field.CURSOR_COLUMNS).set("id");
        vm.field(Field.DESTINATION_PATH).set(dir.resolve("bob").toString());
        assertThat(vm.fieldErrors()).containsOnlyKeys(Field.CURSOR_COLUMNS);
        assertThat(vm.fieldErrors().get(Field.CURSOR_COLUMNS)).contains("is a key column");
        vm.field(Field.CURSOR_COLUMNS).set("updated_at");
        assertThat(vm.fieldErrors()).isEmpty();
        assertThat(vm.validProperty().get()).isTrue();
        vm.field(Field.COLUMNS).set("id, no_such_column, updated_at");
        vm.save();
        assertThat(vm.messageProperty().get()).startsWith("Not saved.");
        assertThat(vm.fieldErrors()).containsKey(Field.COLUMNS);
        vm.field(Field.COLUMNS).set("");
        vm.save();
        assertThat(vm.messageProperty().get()).isEqualTo("Saved good-name as version 1");
        vm.testSource();
        assertThat(vm.messageProperty().get()).startsWith("Source reachable: H2");
        vm.testDestination();
        assertThat(vm.messageProperty().get()).startsWith("Destination reachable: folder");
    }

    @Test
    void editingKeepsTheFieldsTheFormDoesNotShow() {
        String json = DemoContracts.orders(dir.resolve("drop"));
        ContractEditorViewModel vm = new ContractEditorViewModel(fixture.engine(fixture.admin), new DirectTaskRunner(),
                json);
        assertThat(vm.field(Field.KEY_COLUMNS).get()).isEqualTo("id");
        vm.field(Field.MAX_LAG).set("2h");
        assertThat(vm.currentJson()).contains("\"max_attempts\" : 5").contains("\"max_delivery_lag\" : \"2h\"")
                .contains("\"lookback\" : \"15m\"");
        assertThat(vm.validProperty().get()).isTrue();
    }

    @Test
    void anAuditorGetsAReadOnlyEditorAndTheServiceRefusesTheSave() {
        String json = DemoContracts.orders(dir.resolve("drop"));
        ContractEditorViewModel vm = new ContractEditorViewModel(fixture.engine(fixture.user("audra", Role.AUDITOR)),
                new DirectTaskRunner(), json);
        assertThat(vm.editableProperty().get()).isFalse();
        vm.save();
        assertThat(vm.messageProperty().get()).contains("Your role does not allow this")
                .contains("audra (auditor) may not edit contracts");
    }

    @Test
    void connectionTestsGiveUpAfterTheTimeout() {
        assertThat(ConnectionTimeout.LIMIT.toSeconds()).isEqualTo(10);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConnectionTimeout.call(() -> {
            Thread.sleep(5_000);
            return "late";
        }, 50)).isInstanceOf(java.util.concurrent.TimeoutException.class);
    }
}
