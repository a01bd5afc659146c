package dev.exportdesk.transfer;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What one upload attempt did, updated by the destination as it goes and read by the stall
 * watchdog from another thread: where it resumed, bytes put on the wire, bytes the destination
 * acknowledged, and when either last advanced.
 */
public final class TransferProgress {
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private volatile long resumedFrom;
    private volatile long lastAdvanceNanos = System.nanoTime();

    public void resumedFrom(long offset) {
        resumedFrom = offset;
        acknowledged.set(offset);
        touch();
    }

    public void sent(long bytes) {
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
