package dev.exportdesk.ui.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.exportdesk.access.GuardedEngine;
import dev.exportdesk.engine.ProgressListener;
import dev.exportdesk.engine.runs.RunResult;
import dev.exportdesk.ui.ConsoleContext;
import dev.exportdesk.ui.ConsoleFixture;
import dev.exportdesk.ui.DirectTaskRunner;
import dev.exportdesk.ui.RecordingDialogs;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's drift history without the toolkit, from real deep verifications of a real H2
 * source: one point per verification pass with the rows changed since export, missing at source and
 * late; a point opens the run it checked; another contract has no points.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DriftHistoryViewModelTest {
    @TempDir
    Path dir;

    @Test
    void onePointPerVerificationPassWithItsDriftCounts() throws Exception {
        try (ConsoleFixture fixture = ConsoleFixture.open(dir, 6_000)) {
            GuardedEngine admin = fixture.engine(fixture.admin);
            RunResult run = admin.run("orders-to-acme", ProgressListener.NONE);
            assertThat(run.completed()).isTrue();
            List<String> opened = new ArrayList<>();
            ConsoleContext ctx = fixture.context(fixture.admin, new DirectTaskRunner(), new RecordingDialogs(),
                    Runnable::run);
            DashboardViewModel vm = new DashboardViewModel(ctx, opened::add);
            vm.refresh();
            vm.contractProperty().set("orders-to-acme");
            assertThat(vm.drift()).isEmpty();

            source(fixture, "UPDATE orders SET note = 'changed after export' WHERE id = 10",
                    "DELETE FROM orders WHERE id = 20");
            admin.verification().deepVerify(run.run().id());
            source(fixture, "DELETE FROM orders WHERE id = 30");
            admin.verification().deepVerify(run.run().id());
            vm.refresh();
            assertThat(vm.contractProperty().get()).isEqualTo("orders-to-acme");
            assertThat(vm.drift()).extracting(DashboardViewModel.DriftPoint::pass, DashboardViewModel.DriftPoint::changed,
                    DashboardViewModel.DriftPoint::missing, DashboardViewModel.DriftPoint::late)
                    .containsExactly(tuple(1, 1L, 1L, 0L), tuple(2, 1L, 2L, 0L));
            assertThat(vm.drift()).allMatch(p -> p.mismatches() > 0 && p.at() != null);
            vm.open(vm.drift().get(1));
            assertThat(opened).containsExactly(run.run().id());

            vm.contractProperty().set("customers-to-acme");
            assertThat(vm.drift()).isEmpty();
        }
    }

    private static void source(ConsoleFixture fixture, String... sql) throws Exception {
        try (Connection c = DriverManager.getConnection(fixture.shop.jdbcUrl(), "sa", "");
             Statement st = c.createStatement()) {
            for (String s : sql) {
                assertThat(st.executeUpdate(s)).isEqualTo(1);
            }
        }
    }
}
