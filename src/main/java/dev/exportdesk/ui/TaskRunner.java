package dev.exportdesk.ui;

import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * Runs long work off the UI thread and delivers the result (or error) back on it. View models
 * depend on this interface only, so tests run them with a synchronous implementation.
 */
public interface TaskRunner {
    <T> void run(Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure);
}
