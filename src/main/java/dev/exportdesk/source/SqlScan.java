package dev.exportdesk.source;

/** A {@link RowStream} read by one SQL statement on the caller's thread: it never waits to be interrupted. */
public interface SqlScan extends RowStream {

    @Override
    CapturedRow next();
}
