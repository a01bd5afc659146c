package dev.exportdesk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.store.Workspace;
import dev.exportdesk.testing.CliRun;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.SourceDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Until runs take logical capture (issue 15), importing a logical contract exits 3 with the reason
 * and stores nothing — it is never run as a full export of the table by mistake.
 */
class LogicalCaptureImportCliTest {
    @TempDir
    Path dir;

    @Test
    void aLogicalContractIsRefusedAtImportAndNothingIsStored() throws Exception {
        SourceDb db = SourceDb.h2(dir);
        db.exec("CREATE TABLE orders (id BIGINT PRIMARY KEY)");
        ObjectNode contract = Contracts.base("orders-log", db, "orders", dir.resolve("drop"));
        contract.remove("cursor_columns");
        contract.remove("late_data");
        contract.putObject("capture").put("mode", "logical").put("publication", "orders_pub")
                .put("slot", "exportdesk_orders");
        Path file = dir.resolve("orders-log.json");
        Files.writeString(file, contract.toString());
        CliRun cli = new CliRun(dir.resolve("ws"), Map.of("USER", "paula"));
        CliRun.Result result = cli.run("contract", "import", file.toString());
        assertThat(result.code()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(result.err()).contains("$.capture.mode: \"logical\" capture is not yet supported by runs")
                .doesNotContain("Exception", "\tat ");
        try (Workspace ws = Workspace.open(dir.resolve("ws"))) {
            java.util.List<dev.exportdesk.store.ContractRecord> stored =
                    ws.store().inTransaction(c -> ws.store().contracts().list(c));
            assertThat(stored).isEmpty();
        }
    }
}
