package dev.exportdesk.transfer;

import java.io.InterruptedIOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one upload attempt did, updated by the destination as it goes and read by the stall
 * watchdog from another thread: where it resumed, bytes put on the wire, bytes the destination
 * acknowledged, and when either last advanced. Bytes about to be sent first pass the run's
 * bandwidth cap, so every destination is paced by calling {@link #sent} before it writes.
 */
public final class TransferProgress {
    private final Throttle throttle;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private volatile long resumedFrom;
    private volatile long lastAdvanceNanos = System.nanoTime();

    public TransferProgress() {
        this(Throttle.UNLIMITED);
    }

    public TransferProgress(Throttle throttle) {
        this.throttle = throttle;
    }

    public void resumedFrom(long offset) {
        resumedFrom = offset;
        acknowledged.set(offset);
        touch();
    }

    /** {@code bytes} are about to go on the wire: waits for the bandwidth cap, then counts them. */
    public void sent(long bytes) throws InterruptedIOException {
        throttle.acquire(bytes, this::touch);
        sent.addAndGet(bytes);
        touch();
    }

    public void acknowledged(long totalOffset) {
        acknowledged.set(totalOffset);
        touch();
    }

    /** Activity that is not payload (a handshake, a stat, a read-back) also proves the link is alive. */
    public void touch() {
        lastAdvanceNanos = System.nanoTime();
    }

    public long sentBytes() {
        return sent.get();
    }

    public long acknowledgedBytes() {
        return acknowledged.get();
    }

    public long resumedFromOffset() {
        return resumedFrom;
    }

    public long nanosSinceAdvance() {
        return System.nanoTime() - lastAdvanceNanos;
    }
}
