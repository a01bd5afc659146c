package dev.exportdesk.transfer;

import java.io.InterruptedIOException;

/**
 * A bandwidth cap shared by every upload of a run (GCRA, the virtual-clock form of a token
 * bucket): each request books its bytes on one timeline at {@code bytesPerSecond}, and waits until
 * the timeline is at most one burst ahead of the wall clock. Requests of any size keep the average;
 * protocols that send in large pieces (S3 parts) go over it only within one piece.
 */
public final class Throttle {
    public static final Throttle UNLIMITED = new Throttle(0);
    private static final long BURST_NANOS = 100_000_000L;
    private static final long NAP_NANOS = 100_000_000L;
    private final long bytesPerSecond;
    private long theoreticalArrival;

    /** {@code bytesPerSecond} ≤ 0: no cap. */
    public Throttle(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
        this.theoreticalArrival = System.nanoTime();
    }

    public boolean limited() {
        return bytesPerSecond > 0;
    }

    /**
     * Waits until {@code bytes} may go on the wire, calling {@code waiting} at least every 100 ms
     * while it waits (a deliberate pause is not a stall).
     */
    public void acquire(long bytes, Runnable waiting) throws InterruptedIOException {
        if (bytesPerSecond <= 0 || bytes <= 0) {
            return;
        }
        long readyAt;
        synchronized (this) {
            long now = System.nanoTime();
            long start = Math.max(theoreticalArrival, now);
            theoreticalArrival = start + (long) (bytes * 1e9 / bytesPerSecond);
            readyAt = theoreticalArrival - BURST_NANOS;
        }
        for (long left = readyAt - System.nanoTime(); left > 0; left = readyAt - System.nanoTime()) {
            waiting.run();
            try {
                long nap = Math.min(left, NAP_NANOS);
                Thread.sleep(nap / 1_000_000, (int) (nap % 1_000_000));
            } catch (InterruptedException e) {
                // the flag is not set again: the next thing this thread does may be H2 file I/O,
                // which an interrupt would close; the exception carries the news up to the caller
                throw new InterruptedIOException("interrupted while held by the bandwidth cap");
            }
        }
    }
}
