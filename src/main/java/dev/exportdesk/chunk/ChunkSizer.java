package dev.exportdesk.chunk;

import dev.exportdesk.contract.ChunkLimits;

/**
 * Picks how many rows the next chunk holds so that a chunk takes about the contract's target time
 * (pt-table-checksum style): start small, then follow the measured rate, never beyond the
 * contract's limits and never more than doubling or less than halving at once.
 */
public final class ChunkSizer {
    private static final int FIRST_CHUNK_ROWS = 10_000;
    private final ChunkLimits limits;
    private long nextRows;

    public ChunkSizer(ChunkLimits limits) {
        this.limits = limits;
        this.nextRows = Math.min(limits.maxRows(), FIRST_CHUNK_ROWS);
    }

    public long rowsForNextChunk() {
        return nextRows;
    }

    public boolean full(long rows, long contentBytes) {
        return rows >= nextRows || contentBytes >= limits.maxBytes();
    }

    /** Feeds back one finished chunk: rows written and nanoseconds taken. */
    public void observe(long rows, long nanos) {
        if (rows <= 0 || nanos <= 0) {
            return;
        }
        double rowsPerNano = (double) rows / nanos;
        long ideal = (long) (rowsPerNano * limits.targetTime().toNanos());
        long bounded = Math.max(nextRows / 2, Math.min(nextRows * 2, ideal));
        nextRows = Math.max(1, Math.min(limits.maxRows(), bounded));
    }
}
