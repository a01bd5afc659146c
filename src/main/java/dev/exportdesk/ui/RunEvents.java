package dev.exportdesk.ui;

import dev.exportdesk.engine.ProgressListener;
import dev.exportdesk.engine.runs.RunProgress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

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

    /** At most about four progress updates a second reach the screens per run. */
    public static final long MIN_INTERVAL_NANOS = 250_000_000L;
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

    /**
     * An engine {@link ProgressListener} that forwards to subscribers and returns at once. Ticks are
     * coalesced: while one is waiting for the UI thread, newer ones replace it, and at most one is
     * delivered per {@link #MIN_INTERVAL_NANOS} (the engine reports every sealed chunk, which can be
     * dozens a second).
     */
    public ProgressListener engineListener() {
        AtomicReference<RunProgress> pending = new AtomicReference<>();
        AtomicLong lastDelivered = new AtomicLong();
        return progress -> {
            if (pending.getAndSet(progress) == null) {
                uiThread.execute(() -> {
                    long now = System.nanoTime();
                    if (now - lastDelivered.get() < MIN_INTERVAL_NANOS) {
                        // too soon: deliver the newest tick a little later instead
                        delayed(pending, lastDelivered);
                        return;
                    }
                    deliver(pending, lastDelivered);
                });
            }
        };
    }

    private void delayed(AtomicReference<RunProgress> pending, AtomicLong lastDelivered) {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(MIN_INTERVAL_NANOS / 1_000_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            uiThread.execute(() -> deliver(pending, lastDelivered));
        }, "exportdesk-progress-coalescer");
        t.setDaemon(true);
        t.start();
    }

    private void deliver(AtomicReference<RunProgress> pending, AtomicLong lastDelivered) {
        RunProgress latest = pending.getAndSet(null);
        if (latest != null) {
            lastDelivered.set(System.nanoTime());
            listeners.forEach(l -> l.onProgress(latest));
        }
    }

    public void runEnded(String contract) {
        uiThread.execute(() -> listeners.forEach(l -> l.onRunEnded(contract)));
    }
}
