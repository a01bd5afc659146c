package dev.exportdesk.ui;

import java.util.function.Consumer;

/** Runs jobs on the calling thread: view-model tests need no toolkit and no waiting. */
public final class DirectTaskRunner implements TaskRunner {
    @Override
    public <T> Handle submit(String title, Job<T> job, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
        T result;
        try {
            result = job.call(new Progress() {
                @Override
                public void update(String message, double fraction) {
                }

                @Override
                public boolean cancelled() {
                    return false;
                }
            });
        } catch (Exception e) {
            onFailure.accept(e);
            return () -> { };
        }
        onSuccess.accept(result);
        return () -> { };
    }
}
