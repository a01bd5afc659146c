package dev.exportdesk.ui;

import dev.exportdesk.engine.ProgressListener;
import dev.exportdesk.engine.RunProgress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

/**
 * Engine events for screens: progress of runs started from this console and "a run stopped".
 * Screens subscribe when shown and unsubscribe when hidden (Bisq 2's onActivate/onDeactivate);
 * every event hops to the UI thread here, in one place.
 */
public final class RunEvents {

    /** What a screen hears. Called on the UI thread. */
    public interface Listener {
        void onProgress(RunProgress progress);

        void onRunEnded(String contract);
    }

    private final Executor uiThread;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    public RunEvents(Executor uiThread) {
        this.uiThread = uiThread;
    }

    public Runnable subscribe(Listener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    public int listenerCount() {
        return listeners.size();
    }

    /** An engine {@link ProgressListener} that forwards to subscribers (returns at once). */
    public ProgressListener engineListener() {
        return progress -> uiThread.execute(() -> listeners.forEach(l -> l.onProgress(progress)));
    }

    public void runEnded(String contract) {
        uiThread.execute(() -> listeners.forEach(l -> l.onRunEnded(contract)));
    }
}
