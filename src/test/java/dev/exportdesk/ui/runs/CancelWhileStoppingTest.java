package dev.exportdesk.ui.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.access.Role;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.RunState;
import dev.exportdesk.ui.ConsoleContext;
import dev.exportdesk.ui.ConsoleFixture;
import dev.exportdesk.ui.RecordingDialogs;
import dev.exportdesk.ui.TaskRunner;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cancel reports back at once, as a JavaFX task does, while the run itself goes on to its next
 * progress report. Meanwhile Run now, Resume and Correct say the contract is still stopping and
 * start nothing; once the engine call has returned, Run now resumes the cancelled run to completion.
 * The engine is held inside a progress report by the test's task runner, so nothing depends on timing.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CancelWhileStoppingTest {
    private static final String ORDERS = "orders-to-acme";
    @TempDir
    Path dir;
    /** The test's UI thread; after the test, late posts (RunEvents' coalesced ticks) are dropped, not thrown. */
    private final ExecutorService ui = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "test-ui");
                t.setDaemon(true);
                return t;
            }, new ThreadPoolExecutor.DiscardPolicy());
    private ConsoleFixture fixture;

    @AfterEach
    void close() {
        ui.shutdownNow();
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void aCancelledRunBlocksNewTasksOfItsContractUntilItHasStopped() throws Exception {
        fixture = ConsoleFixture.open(dir, 3_000);
        HeldTasks tasks = new HeldTasks(ui);
        RecordingDialogs dialogs = new RecordingDialogs();
        ConsoleContext ctx = fixture.context(fixture.user("opal", Role.OPERATOR), tasks, dialogs, ui);
        ExportsViewModel vm = onUi(() -> new ExportsViewModel(ctx));
        onUi(() -> {
            vm.activate();
            vm.runNow(ORDERS);
            return null;
        });
        assertThat(tasks.inProgress.await(60, TimeUnit.SECONDS)).as("the run reported progress").isTrue();

        onUi(() -> {
            vm.cancel(ORDERS);
            return null;
        });
        assertThat(onUi(() -> vm.isRunning(ORDERS))).as("its run has not stopped yet").isTrue();
        assertThat(onUi(() -> {
            vm.runNow(ORDERS);
            return vm.messageProperty().get();
        })).isEqualTo(ORDERS + " is still stopping after Cancel; try again in a moment");
        assertThat(tasks.submitted).as("Run now started nothing").isEqualTo(1);

        tasks.release.countDown();
        assertThat(tasks.returned.await(60, TimeUnit.SECONDS)).as("the engine call returned").isTrue();
        awaitOnUi(() -> !vm.isRunning(ORDERS));
        assertThat(dialogs.errors).isEmpty();
        RunRecord stopped = fixture.engine(fixture.admin).recentRuns(5).get(0);
        assertThat(stopped.state()).isEqualTo(RunState.FAILED);
        assertThat(stopped.error()).isEqualTo("cancelled by opal");

        tasks.holding = false;
        onUi(() -> {
            vm.runNow(ORDERS);
            return null;
        });
        awaitOnUi(() -> !vm.isRunning(ORDERS));
        RunRecord done = fixture.engine(fixture.admin).recentRuns(5).get(0);
        assertThat(done.id()).as("Run now resumed the cancelled run").isEqualTo(stopped.id());
        assertThat(done.state()).isEqualTo(RunState.COMPLETED);
    }

    private <T> T onUi(Callable<T> work) throws Exception {
        return ui.submit(work).get(60, TimeUnit.SECONDS);
    }

    private void awaitOnUi(Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!onUi(condition)) {
            assertThat(System.nanoTime()).as("condition within 60 s").isLessThan(deadline);
            java.util.concurrent.locks.LockSupport.parkNanos(2_000_000); // poll every 2 ms
        }
    }

    /**
     * Titled jobs on a thread of their own, results back on {@code ui}; cancelling reports the task
     * cancelled at once and drops its later result, as {@code FxTaskRunner} does. While
     * {@code holding}, the first progress report waits for {@code release}. Quiet work runs inline.
     */
    private static final class HeldTasks implements TaskRunner {
        final CountDownLatch inProgress = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch returned = new CountDownLatch(1);
        final ExecutorService ui;
        volatile boolean holding = true;
        volatile int submitted;

        HeldTasks(ExecutorService ui) {
            this.ui = ui;
        }

        @Override
        public <T> Handle submit(String title, Job<T> job, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
            if (title == null) {
                try {
                    onSuccess.accept(job.call(null));
                } catch (Exception e) {
                    onFailure.accept(e);
                }
                return () -> { };
            }
            submitted++;
            boolean held = holding;
            AtomicBoolean cancelled = new AtomicBoolean();
            Progress progress = new Progress() {
                @Override
                public void update(String message, double fraction) {
                    if (held && inProgress.getCount() > 0) {
                        inProgress.countDown();
                        try {
                            release.await(60, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }

                @Override
                public boolean cancelled() {
                    return cancelled.get();
                }
            };
            new Thread(() -> {
                Object outcome;
                try {
                    outcome = job.call(progress);
                } catch (Exception e) {
                    outcome = e;
                }
                if (held) {
                    returned.countDown();
                }
                Object result = outcome;
                ui.execute(() -> {
                    if (cancelled.get()) {
                        return; // reported when it was cancelled
                    }
                    if (result instanceof Exception e) {
                        onFailure.accept(e);
                    } else {
                        @SuppressWarnings("unchecked")
                        T value = (T) result;
                        onSuccess.accept(value);
                    }
                });
            }, "test-task").start();
            return () -> {
                cancelled.set(true);
                ui.execute(() -> onFailure.accept(new CancellationException(title + " cancelled")));
            };
        }
    }
}
