package dev.exportdesk.ui.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.access.Role;
import dev.exportdesk.access.User;
import dev.exportdesk.engine.ProgressListener;
import dev.exportdesk.store.AuditEntry;
import dev.exportdesk.ui.ConsoleFixture;
import dev.exportdesk.ui.RecordingDialogs;
import dev.exportdesk.ui.TaskRunner;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 #12 in the console, without a toolkit: Deep verify runs as a titled task that reports
 * each chunk, and the task view's Cancel (here pressed once the source comparison has done its first
 * chunk) stops it. Must hold afterwards: no reconciliation pass and no {@code run.reconcile}, a
 * {@code verify.cancel} audited for the auditor, a notification that says nothing was recorded, and
 * Deep verify enabled again.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DeepVerifyCancelViewModelTest {
    @TempDir
    Path dir;
    ConsoleFixture fixture;
    final RecordingDialogs dialogs = new RecordingDialogs();

    @BeforeEach
    void open() throws Exception {
        fixture = ConsoleFixture.open(dir, 6_000);
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void cancelStopsTheDeepVerificationAndNothingOfItIsRecorded() {
        String runId = fixture.engine(fixture.admin).run("orders-to-acme", ProgressListener.NONE).run().id();
        User ada = fixture.user("ada", Role.AUDITOR);
        CancellingRunner tasks = new CancellingRunner(m -> m.startsWith("source (re-reading rows) · 1 of"));
        RunDetailViewModel detail = new RunDetailViewModel(fixture.context(ada, tasks, dialogs, Runnable::run), runId);

        detail.deepVerify();

        assertThat(tasks.titles).containsExactly("Deep verify run " + runId.substring(0, 8));
        assertThat(tasks.updates).startsWith("delivery (re-hashing files) · 0 of 3 chunks",
                "delivery (re-hashing files) · 1 of 3 chunks").contains("source (re-reading rows) · 0 of 3 chunks")
                .endsWith("source (re-reading rows) · 1 of 3 chunks");
        assertThat(tasks.failures).singleElement().satisfies(e -> assertThat(e).hasMessage("verification of "
                + "orders-to-acme run 1 cancelled by ada in its source check, after 1 of 3 chunks"));
        assertThat(dialogs.notifications).anyMatch(n -> n.contains("Deep verification cancelled")
                && n.contains("no reconciliation pass is recorded"));
        assertThat(dialogs.errors).isEmpty();
        assertThat(detail.deepVerifyingProperty().get()).as("Deep verify is enabled again").isFalse();
        assertThat(detail.summaryProperty().get()).doesNotContain("deep verify", "re-reading");

        var admin = fixture.engine(fixture.admin);
        assertThat(admin.verification().driftHistory("orders-to-acme")).as("no pass in the drift history").isEmpty();
        List<AuditEntry> audit = admin.audit(30);
        assertThat(audit).extracting(AuditEntry::action).doesNotContain("run.reconcile");
        assertThat(audit).filteredOn(e -> e.action().equals("verify.cancel")).singleElement()
                .satisfies(e -> assertThat(e.actor()).isEqualTo("ada"));
    }

    /** Runs each job on the calling thread, as the task view would show it; "presses Cancel" at a message. */
    private static final class CancellingRunner implements TaskRunner {
        final List<String> titles = new CopyOnWriteArrayList<>();
        final List<String> updates = new CopyOnWriteArrayList<>();
        final List<Throwable> failures = new CopyOnWriteArrayList<>();
        private final java.util.function.Predicate<String> cancelAt;
        private volatile boolean cancelled;

        CancellingRunner(java.util.function.Predicate<String> cancelAt) {
            this.cancelAt = cancelAt;
        }

        @Override
        public <T> Handle submit(String title, Job<T> job, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
            if (title != null) {
                titles.add(title);
            }
            T result;
            try {
                result = job.call(new Progress() {
                    @Override
                    public void update(String message, double fraction) {
                        updates.add(message);
                        cancelled |= cancelAt.test(message);
                    }

                    @Override
                    public boolean cancelled() {
                        return cancelled;
                    }
                });
            } catch (Exception e) {
                if (title != null) {
                    failures.add(e);
                }
                onFailure.accept(e);
                return () -> cancelled = true;
            }
            onSuccess.accept(result);
            return () -> cancelled = true;
        }
    }
}
