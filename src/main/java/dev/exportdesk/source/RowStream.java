package dev.exportdesk.source;

/**
 * Captured rows in the order they must be applied, each carrying its position (the ordering tuple
 * of {@link CapturedRow#tuple}). The keyset scan is one implementation; a log-based CDC source
 * (WAL, binlog) will be another, with the log position in the tuple.
 */
public interface RowStream extends AutoCloseable {

    /** The next row, or null at the end of the range. */
    CapturedRow next() throws InterruptedException;

    @Override
    void close();
}
