package dev.exportdesk.source;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Function;

/**
 * Reads a {@link RowStream} on its own thread, a few batches ahead, so that decoding rows from the
 * source overlaps with compressing, hashing and writing them. {@code prepare} runs on that thread
 * too, for per-row work that needs nothing but the row (the export encodes and hashes each line
 * there: BENCHMARKS.md). Memory stays bounded: at most {@code QUEUE_BATCHES} batches of
 * {@code BATCH_ROWS} rows are in flight.
 *
 * @param <P> what {@code prepare} makes of a row, read with {@link #prepared()}
 */
public final class ReadAheadScan<P> implements RowStream {
    private static final int BATCH_ROWS = 512;
    private static final int QUEUE_BATCHES = 8;
    private static final List<Object> END = List.of();

    private final RowStream scan;
    private final Function<CapturedRow, P> prepare;
    /** Alternating row, prepared-value pairs. */
    private final BlockingQueue<List<Object>> queue = new ArrayBlockingQueue<>(QUEUE_BATCHES);
    private final Thread reader;
    private volatile RuntimeException failure;
    private volatile boolean closed;
    private List<Object> batch = new ArrayList<>();
    private int index;
    private P prepared;

    public ReadAheadScan(RowStream scan, Function<CapturedRow, P> prepare) {
        this.scan = scan;
        this.prepare = prepare;
        this.reader = new Thread(this::readAll, "exportdesk-source-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private void readAll() {
        try {
            List<Object> next = new ArrayList<>(2 * BATCH_ROWS);
            for (CapturedRow row = scan.next(); row != null && !closed; row = scan.next()) {
                next.add(row);
                next.add(prepare.apply(row));
                if (next.size() == 2 * BATCH_ROWS) {
                    hand(next);
                    next = new ArrayList<>(2 * BATCH_ROWS);
                }
            }
            if (!next.isEmpty()) {
                hand(next);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            while (!closed && !queue.offer(END, 20, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                // the consumer is still working through earlier batches
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void hand(List<Object> batch) throws InterruptedException {
        while (!closed && !queue.offer(batch, 20, java.util.concurrent.TimeUnit.MILLISECONDS)) {
            // back-pressure: wait for the consumer
        }
    }

    /** Rethrows a failure of the reading thread. */
    @Override
    public CapturedRow next() throws InterruptedException {
        if (index == batch.size()) {
            if (batch == END) {
                return null;
            }
            batch = queue.take();
            index = 0;
            if (batch == END) {
                if (failure != null) {
                    throw failure;
                }
                return null;
            }
        }
        CapturedRow row = (CapturedRow) batch.get(index);
        @SuppressWarnings("unchecked")
        P p = (P) batch.get(index + 1);
        prepared = p;
        index += 2;
        return row;
    }

    /** What {@code prepare} made of the row {@link #next()} returned last. */
    public P prepared() {
        return prepared;
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
}
