package dev.exportdesk.transfer;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Stall detection: while an upload runs, a daemon thread watches its {@link TransferProgress}; if
 * nothing advances for the stall timeout it calls {@link Destination#abort()}, which makes the
 * blocked upload fail, and the failure is reported as a (transient) {@link Stalled}. The next
 * attempt resumes from what the destination holds.
 */
public final class StallWatchdog {
    private StallWatchdog() {
    }

    /** The upload stopped making progress and was aborted. */
    public static final class Stalled extends DeliveryException {
        public Stalled(String message, Throwable cause) {
            super(message, false, cause);
        }
    }

    @FunctionalInterface
    public interface Upload {
        void run() throws DeliveryException;
    }

    public static void guard(Destination destination, Duration stallTimeout, TransferProgress progress, Upload upload)
            throws DeliveryException {
        long limit = stallTimeout.toNanos();
        long tick = Math.max(20, Math.min(250, stallTimeout.toMillis() / 4));
        AtomicBoolean done = new AtomicBoolean();
        AtomicBoolean fired = new AtomicBoolean();
        Thread watcher = new Thread(() -> {
            while (!done.get()) {
                try {
                    Thread.sleep(tick);
                } catch (InterruptedException e) {
                    return;
                }
                if (!done.get() && progress.nanosSinceAdvance() > limit) {
                    fired.set(true);
                    destination.abort();
                    return;
                }
            }
        }, "exportdesk-stall-watchdog");
        watcher.setDaemon(true);
        progress.touch();
        watcher.start();
        try {
            upload.run();
        } catch (DeliveryException | RuntimeException e) {
            if (fired.get()) {
                throw new Stalled("stalled: no bytes acknowledged for " + stallTimeout.toMillis() + " ms (after "
                        + progress.acknowledgedBytes() + " bytes); aborted the attempt to resume from what "
                        + destination.describe() + " holds", e);
            }
            throw e;
        } finally {
            done.set(true);
            watcher.interrupt();
        }
    }
}
