package dev.exportdesk.contract;

/**
 * How a full export, or the first export of an incremental contract, may be shared by the workers of
 * a team store: split into key ranges of about {@code segmentRows} rows, captured by at most
 * {@code maxWorkers} workers at a time (the source database has limits too). One worker (the default)
 * never splits; neither does a solo workspace.
 */
public record Backfill(int maxWorkers, long segmentRows) {
    public static final int DEFAULT_MAX_WORKERS = 1;
    public static final long DEFAULT_SEGMENT_ROWS = 1_000_000;
    public static final Backfill SERIAL = new Backfill(DEFAULT_MAX_WORKERS, DEFAULT_SEGMENT_ROWS);
    /** More ranges than this would only add claims; a worker takes the next range when done. */
    public static final int MAX_SEGMENTS = 256;

    public boolean parallel() {
        return maxWorkers > 1;
    }
}
