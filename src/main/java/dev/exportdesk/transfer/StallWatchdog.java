package dev.exportdesk.transfer;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stall detection: while an upload runs, a daemon thread watches its {@link TransferProgress}; if
 * nothing advances for the stall timeout it calls {@link Destination#abort()}, which closes the
 * upload's connection so the blocked upload fails, and the failure is reported as a (transient)
 * {@link Stalled}. The next attempt resumes from what the destination holds.
 *
 * <p>The uploader is never interrupted: it also writes to the state store (an S3 upload records
 * each part in its journal), and an interrupt during H2's file I/O closes the whole store.
 */
public final class StallWatchdog {
    private StallWatchdog() {
    }

    /** The upload stopped making progress and was aborted. */
    public static final class Stalled extends DeliveryException {
        private final long idleMillis;

        public Stalled(String message, long idleMillis, Throwable cause) {
            super(message, false, cause);
            this.idleMillis = idleMillis;
        }

        /** How long nothing had advanced when the watchdog fired. */
        public long idleMillis() {
            return idleMillis;
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
        AtomicLong idleAtFiring = new AtomicLong();
        Thread watcher = new Thread(() -> {
            while (!done.get()) {
                try {
                    Thread.sleep(tick);
                } catch (InterruptedException e) {
                    return;
                }
                long idle = progress.nanosSinceAdvance();
                if (!done.get() && idle > limit) {
                    idleAtFiring.set(idle / 1_000_000);
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
                        + destination.describe() + " holds", idleAtFiring.get(), e);
            }
            throw e;
        } finally {
            done.set(true);
            watcher.interrupt();
            try {
                watcher.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the caller's, kept for it
            }
        }
    }
}
