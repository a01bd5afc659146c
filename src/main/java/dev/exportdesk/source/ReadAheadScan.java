package dev.exportdesk.source;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads a {@link RowStream} on its own thread, a few batches ahead, so that decoding rows from the
 * driver overlaps with encoding, compressing and hashing them. Memory stays bounded: at most
 * {@code QUEUE_BATCHES} batches of {@code BATCH_ROWS} rows are in flight.
 */
public final class ReadAheadScan implements RowStream {
    private static final int BATCH_ROWS = 512;
    private static final int QUEUE_BATCHES = 8;
    private static final List<CapturedRow> END = List.of();

    private final RowStream scan;
    private final BlockingQueue<List<CapturedRow>> queue = new ArrayBlockingQueue<>(QUEUE_BATCHES);
    private final Thread reader;
    private volatile RuntimeException failure;
    private volatile boolean closed;
    private List<CapturedRow> batch = new ArrayList<>();
    private int index;

    public ReadAheadScan(RowStream scan) {
        this.scan = scan;
        this.reader = new Thread(this::readAll, "exportdesk-source-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private void readAll() {
        try {
            List<CapturedRow> next = new ArrayList<>(BATCH_ROWS);
            for (CapturedRow row = scan.next(); row != null && !closed; row = scan.next()) {
                next.add(row);
                if (next.size() == BATCH_ROWS) {
                    hand(next);
                    next = new ArrayList<>(BATCH_ROWS);
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

    private void hand(List<CapturedRow> batch) throws InterruptedException {
        while (!closed && !queue.offer(batch, 20, java.util.concurrent.TimeUnit.MILLISECONDS)) {
            // back-pressure: wait for the consumer
        }
    }

    /** Rethrows a failure of the reading thread. */
    @Override
    public CapturedRow next() throws InterruptedException {
        if (index < batch.size()) {
            return batch.get(index++);
        }
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
        return batch.get(index++);
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
