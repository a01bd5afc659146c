package dev.exportdesk.ui;

import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Team mode: a worker's progress reaches a console only through the shared store, so a screen
 * re-reads it on this timer while shown. Each tick is handed to the UI thread; the screen decides
 * what to read and skips a tick while its last read is out.
 */
public final class StorePoll {
    private final Executor uiThread;
    private final long millis;
    private final String name;
    private ScheduledExecutorService timer;

    public StorePoll(Executor uiThread, long millis, String name) {
        this.uiThread = uiThread;
        this.millis = millis;
        this.name = name;
    }

    /** Ticks every interval until {@link #stop()}; a second start while running does nothing. */
    public void start(Runnable tick) {
        if (timer != null) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> uiThread.execute(tick), millis, millis, TimeUnit.MILLISECONDS);
    }

    public void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }
}
