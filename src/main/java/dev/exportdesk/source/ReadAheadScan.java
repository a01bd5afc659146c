package dev.exportdesk.source;

import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads a {@link RowStream} on its own thread, a few batches ahead, so that decoding rows from the
 * source overlaps with compressing, hashing and writing them. A {@link Batcher} runs on that thread
 * too, for per-row work that needs nothing but the row, and gathers its results per batch (the
 * export packs each batch's encoded lines and their hashes into one array: the thread that
 * compresses then reads them in order instead of fetching a few objects per row made on the other
 * core, BENCHMARKS.md). Memory stays bounded: at most {@code QUEUE_BATCHES} batches of
 * {@code BATCH_ROWS} rows are in flight.
 *
 * @param <B> what the batcher makes of a batch, read with {@link #batch()} and {@link #index()}
 */
public final class ReadAheadScan<B> implements RowStream {
    private static final int BATCH_ROWS = 512;
    private static final int QUEUE_BATCHES = 8;
    private static final Batch<Object> END = new Batch<>(new CapturedRow[0], 0, null);

    private final RowStream scan;
    private final Batcher<B> batcher;
    private final BlockingQueue<Batch<B>> queue = new ArrayBlockingQueue<>(QUEUE_BATCHES);
    /** Batches the consumer is done with, for the reader to fill again instead of allocating new ones. */
    private final BlockingQueue<Batch<B>> spares = new ArrayBlockingQueue<>(QUEUE_BATCHES + 2);
    private final Thread reader;
    private volatile RuntimeException failure;
    private volatile boolean closed;
    private Batch<B> batch = new Batch<>(new CapturedRow[0], 0, null);
    private int index = -1;

    /** Per-row work done on the reading thread, its results gathered per batch. */
    public interface Batcher<B> {
        /** A batch for up to {@code rows} rows. */
        B open(int rows);

        /** Adds the next row to {@code batch}. */
        void add(B batch, CapturedRow row);

        /** Empties a batch the consumer is done with, to be filled again. */
        void clear(B batch);
    }

    public ReadAheadScan(RowStream scan, Batcher<B> batcher) {
        this.scan = scan;
        this.batcher = batcher;
        this.reader = new Thread(this::readAll, "exportdesk-source-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private void readAll() {
        Batch<B> next = empty();
        int n = 0;
        try {
            for (CapturedRow row = scan.next(); row != null && !closed; row = scan.next()) {
                next.rows[n] = row;
                batcher.add(next.prepared, row);
                n++; // only once the batcher took the row: a failed row is not handed over
                if (n == BATCH_ROWS) {
                    hand(next.full(n));
                    next = empty();
                    n = 0;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            if (n > 0) {
                hand(next.full(n)); // the rows read before the end, or before a failure
            }
            hand(end());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A spare batch emptied, or a new one. */
    private Batch<B> empty() {
        Batch<B> spare = spares.poll();
        if (spare == null) {
            return new Batch<>(new CapturedRow[BATCH_ROWS], 0, batcher.open(BATCH_ROWS));
        }
        Arrays.fill(spare.rows, null);
        batcher.clear(spare.prepared);
        return spare.full(0);
    }

    @SuppressWarnings("unchecked")
    private Batch<B> end() {
        return (Batch<B>) (Batch<?>) END;
    }

    private void hand(Batch<B> b) throws InterruptedException {
        while (!closed && !queue.offer(b, 20, TimeUnit.MILLISECONDS)) {
            // back-pressure: wait for the consumer
        }
    }

    /** Rethrows a failure of the reading thread. */
    @Override
    public CapturedRow next() throws InterruptedException {
        if (batch == END) {
            return null;
        }
        if (++index == batch.size) {
            Batch<B> done = batch;
            batch = queue.take();
            if (done.prepared != null) {
                spares.offer(done);
            }
            index = 0;
            if (batch == END) {
                if (failure != null) {
                    throw failure;
                }
                return null;
            }
        }
        return batch.rows[index];
    }

    /** The batch of the row {@link #next()} returned last. */
    public B batch() {
        return batch.prepared;
    }

    /** That row's place in {@link #batch()}. */
    public int index() {
        return index;
    }

    /**
     * Stops the reader without interrupting it: an interrupt during file I/O closes an embedded
     * H2 database (ClosedByInterruptException). The reader notices {@code closed} after its current
     * row; draining the queue unblocks it if it is waiting to hand over a batch.
     */
    @Override
    public void close() {
        closed = true;
        long deadline = System.nanoTime() + 30_000_000_000L;
        try {
            while (reader.isAlive() && System.nanoTime() < deadline) {
                queue.clear();
                reader.join(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        scan.close();
    }

    /** Rows and what the batcher made of them; the same arrays go round while the scan lasts. */
    private record Batch<B>(CapturedRow[] rows, int size, B prepared) {
        Batch<B> full(int rows) {
            return new Batch<>(this.rows, rows, prepared);
        }
    }
}
