package dev.exportdesk.ui.schedule;

import dev.exportdesk.ui.DirectTaskRunner;
import dev.exportdesk.ui.TaskRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;

/**
 * Quiet jobs run at once on the calling thread (as {@link DirectTaskRunner}); titled ones — the
 * running-tasks pane's exports — wait until the test releases them, so "while it runs" is a state
 * the test can look at without threads or sleeps. Cancelling a held one drops it and reports the
 * cancellation, as the console's runner does.
 */
final class HeldTaskRunner implements TaskRunner {
    private final DirectTaskRunner direct = new DirectTaskRunner();
    private final List<Held<?>> held = new ArrayList<>();

    private record Held<T>(String title, Job<T> job, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
        void release(DirectTaskRunner runner) {
            runner.submit(title, job, onSuccess, onFailure);
        }
    }

    @Override
    public <T> Handle submit(String title, Job<T> job, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
        if (title == null) {
            return direct.submit(null, job, onSuccess, onFailure);
        }
        Held<T> h = new Held<>(title, job, onSuccess, onFailure);
        held.add(h);
        // as the task view's Cancel before the job started: it never runs, and the task reports back
        return () -> {
            if (held.remove(h)) {
                onFailure.accept(new CancellationException("cancelled"));
            }
        };
    }

    List<String> heldTitles() {
        return held.stream().map(Held::title).toList();
    }

    void releaseAll() {
        List<Held<?>> now = List.copyOf(held);
        held.clear();
        now.forEach(h -> h.release(direct));
    }
}
