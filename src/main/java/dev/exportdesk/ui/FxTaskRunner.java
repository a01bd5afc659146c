package dev.exportdesk.ui;

import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.concurrent.Task;

/**
 * {@link TaskRunner} on {@link Task}s and a bounded pool of daemon threads. Titled tasks are
 * listed in {@link #visibleTasks()} for the ControlsFX {@code TaskProgressView}.
 */
public final class FxTaskRunner implements TaskRunner, AutoCloseable {
    private final AtomicInteger counter = new AtomicInteger();
    private final ExecutorService executor;
    private final ObservableList<Task<?>> visible = FXCollections.observableArrayList();

    public FxTaskRunner(int threads) {
        executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "exportdesk-ui-task-" + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public <T> Handle submit(String title, Job<T> job, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
        JobTask<T> task = new JobTask<>(title, job);
        if (title != null) {
            visible.add(task);
        }
        task.setOnSucceeded(e -> {
            visible.remove(task);
            onSuccess.accept(task.getValue());
        });
        task.setOnFailed(e -> {
            visible.remove(task);
            onFailure.accept(task.getException());
        });
        task.setOnCancelled(e -> {
            visible.remove(task);
            onFailure.accept(new CancellationException("cancelled"));
        });
        executor.execute(task);
        return () -> task.cancel(true);
    }

    /** Titled tasks still running (FX thread only). */
    public ObservableList<Task<?>> visibleTasks() {
        return visible;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    private static final class JobTask<T> extends Task<T> {
        private final Job<T> job;

        JobTask(String title, Job<T> job) {
            this.job = job;
            if (title != null) {
                updateTitle(title);
            }
        }

        /**
         * Never interrupts the worker (TaskProgressView's Cancel asks to): an interrupt can close the
         * H2 state store's file channel. Jobs see {@link Progress#cancelled()} and stop themselves.
         */
        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            return super.cancel(false);
        }

        @Override
        protected T call() throws Exception {
            return job.call(new Progress() {
                @Override
                public void update(String message, double fraction) {
                    updateMessage(message);
                    if (fraction < 0) {
                        updateProgress(-1, -1);
                    } else {
                        updateProgress(fraction, 1);
                    }
                }

                @Override
                public boolean cancelled() {
                    return isCancelled();
                }
            });
        }
    }
}
