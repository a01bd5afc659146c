package dev.exportdesk.ui.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.access.AccessDeniedException;
import dev.exportdesk.access.Role;
import dev.exportdesk.store.RunState;
import dev.exportdesk.ui.ConsoleContext;
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

/** The exports screen's model: listeners follow the screen's lifecycle; run, roles, resume offer. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ExportsViewModelTest {
    @TempDir
    static Path dir;
    static ConsoleFixture fixture;

    @BeforeAll
    static void open() throws Exception {
        fixture = ConsoleFixture.open(dir, 3_000);
    }

    @AfterAll
    static void close() {
        fixture.close();
    }

    @Test
    void listensOnlyWhileShownAndRunsAnExport() {
        RecordingDialogs dialogs = new RecordingDialogs();
        ConsoleContext ctx = fixture.context(fixture.user("opal", Role.OPERATOR), new DirectTaskRunner(), dialogs,
                Runnable::run);
        ExportsViewModel vm = new ExportsViewModel(ctx);
        assertThat(ctx.events().listenerCount()).isZero();
        vm.activate();
        assertThat(ctx.events().listenerCount()).isOne();
        vm.activate();
        assertThat(ctx.events().listenerCount()).as("no double registration").isOne();
        assertThat(vm.schedule()).extracting(s -> s.contract()).contains("orders-to-acme", "customers-to-acme");

        vm.runNow("customers-to-acme");
        assertThat(vm.runs()).hasSize(1);
        assertThat(vm.runs().get(0).run().state()).isEqualTo(RunState.COMPLETED);
        assertThat(vm.runs().get(0).resumable()).isFalse();
        assertThat(dialogs.notifications).anyMatch(n -> n.startsWith("INFO Run completed"));

        vm.offerResumeOfUnfinished();
        assertThat(dialogs.confirmations).as("nothing unfinished, nothing asked").isEmpty();
        vm.deactivate();
        assertThat(ctx.events().listenerCount()).isZero();
    }

    @Test
    void anAuditorCannotRunAndTheRefusalIsShownInWords() {
        RecordingDialogs dialogs = new RecordingDialogs();
        ConsoleContext ctx = fixture.context(fixture.user("aude", Role.AUDITOR), new DirectTaskRunner(), dialogs,
                Runnable::run);
        ExportsViewModel vm = new ExportsViewModel(ctx);
        assertThat(vm.canOperateProperty().get()).isFalse();
        vm.runNow("orders-to-acme");
        assertThat(dialogs.errors).singleElement().isInstanceOf(AccessDeniedException.class);
        assertThat(dev.exportdesk.ui.ErrorText.summary(dialogs.errors.get(0)))
                .isEqualTo("Your role does not allow this. aude (auditor) may not start runs: it needs the operate "
                        + "runs permission.");
    }
}
