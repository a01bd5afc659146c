package dev.exportdesk.ui.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.engine.ProgressListener;
import dev.exportdesk.engine.runs.RunResult;
import dev.exportdesk.store.RunState;
import dev.exportdesk.ui.ConsoleFixture;
import dev.exportdesk.ui.DirectTaskRunner;
import dev.exportdesk.ui.RecordingDialogs;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A run a person cancelled is no failed run on the dashboard: not red, not counted as failed. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DashboardCancelledRunTest {
    @TempDir
    Path dir;

    @Test
    void aCancelledRunIsNotCountedAsFailed() throws Exception {
        try (ConsoleFixture fixture = ConsoleFixture.open(dir, 500)) {
            RunResult cancelled = fixture.engine(fixture.admin).run("orders-to-acme", ProgressListener.NONE, () -> true);
            assertThat(cancelled.run().state()).isEqualTo(RunState.FAILED);
            assertThat(cancelled.run().error()).isEqualTo("cancelled by admin");
            DashboardViewModel vm = new DashboardViewModel(fixture.context(fixture.admin, new DirectTaskRunner(),
                    new RecordingDialogs(), Runnable::run), id -> { });
            vm.refresh();
            vm.contractProperty().set("orders-to-acme");
            assertThat(vm.points()).hasSize(1).noneMatch(DashboardViewModel.Point::failed);
            assertThat(vm.summaryProperty().get()).contains("1 run(s), 0 failed");
        }
    }
}
