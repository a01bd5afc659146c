package dev.exportdesk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.engine.status.StoreHealth;
import dev.exportdesk.store.Workspace;
import dev.exportdesk.testing.CliRun;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 #5 on the command line: {@code exportdesk status} prints the status bar's store line
 * (size, growth, free space) and its JSON the same facts; a warning is a line of its own and does
 * not change the exit code.
 */
class StoreHealthCliTest {
    @TempDir
    Path dir;

    @Test
    void statusPrintsTheStoresSizeGrowthAndFreeSpace() throws Exception {
        CliRun cli = new CliRun(dir.resolve("ws"));
        CliRun.Result text = cli.run("status");
        assertThat(text.code()).as(text.all()).isZero();
        assertThat(text.out().lines().toList().get(1))
                .matches("state store: \\d+(\\.\\d)? [kM]B, \\d+(\\.\\d)? [kMGT]B free \\(growth not known yet\\)");
        assertThat(text.out()).doesNotContain("WARNING");

        CliRun.Result json = cli.run("status", "--json");
        assertThat(json.code()).as(json.all()).isZero();
        JsonNode store = new ObjectMapper().readTree(json.out()).get("state_store");
        assertThat(store.get("responding").asBoolean()).isTrue();
        assertThat(store.get("size_bytes").asLong()).isPositive();
        assertThat(store.get("growth_bytes_per_day").isNull()).as("two samples within the hour").isTrue();
        assertThat(store.get("usable_bytes").asLong()).isPositive()
                .isLessThanOrEqualTo(store.get("total_bytes").asLong());
        assertThat(store.get("warning").isNull()).isTrue();
    }

    @Test
    void aWarningIsALineOfItsOwn() {
        try (Workspace ws = Workspace.open(dir.resolve("ws"))) {
            EngineContext ctx = EngineContext.forWorkspace(ws, Map.of(), Clock.systemUTC(), "test", millis -> { });
            var report = new StoreHealth(ctx, new StoreHealth.Thresholds(Long.MAX_VALUE, 0.10,
                    StoreHealth.FILL_HORIZON)).check();
            StringWriter out = new StringWriter();
            StoreHealthStatus.print(new PrintWriter(out, true), report);
            assertThat(out.toString().lines()).containsExactly("state store: " + report.summary()
                    + " (growth not known yet)", "WARNING: " + report.warning());
            assertThat(report.warning()).startsWith("Only ");
        }
    }
}
