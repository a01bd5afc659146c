package dev.exportdesk.ui;

import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * The console's one task abstraction: long work runs off the UI thread and its result (or error)
 * comes back on it. View models depend on this interface only; the console adapts it to
 * {@link javafx.concurrent.Task} ({@link FxTaskRunner}), tests run it on the calling thread.
 */
public interface TaskRunner {

    /** Work that can report progress and notice cancellation. */
    @FunctionalInterface
    interface Job<T> {
        T call(Progress progress) throws Exception;
    }

    /** Progress reporting from inside a job; safe to call from any thread, as often as you like. */
    interface Progress {
        /** {@code fraction} in 0..1, or negative when unknown. */
        void update(String message, double fraction);

        boolean cancelled();
    }

    /**
     * A submitted job. Cancelling marks it cancelled (never interrupts its thread: that can close the
     * H2 state store); the job notices through {@link Progress#cancelled()}.
     */
    interface Handle {
        void cancel();
    }

    /**
     * Submits {@code job}; a non-null {@code title} also shows it among the running tasks.
     * {@code onSuccess}/{@code onFailure} run on the UI thread.
     */
    <T> Handle submit(String title, Job<T> job, Consumer<T> onSuccess, Consumer<Throwable> onFailure);

    /** Quiet background work without progress. */
    default <T> Handle run(Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
        return submit(null, p -> work.call(), onSuccess, onFailure);
    }
}
