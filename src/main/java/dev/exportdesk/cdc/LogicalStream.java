package dev.exportdesk.cdc;

import java.nio.ByteBuffer;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;

/**
 * Whole transactions of the captured table from a slot, in commit order. The slot's confirmed
 * position moves only through {@link #confirm} (what the engine has durably delivered) and
 * {@link #heartbeat} (nothing of ours pending); the driver's periodic status messages repeat the
 * confirmed position and never more.
 *
 * <p>Reads are non-blocking ({@code readPending}) with a short sleep when nothing has arrived, so a
 * {@link #poll} returns by its timeout without spinning. Poll at least every half
 * {@code wal_sender_timeout} (60 s by default), or the server ends the connection. Not thread-safe:
 * one thread polls, confirms and closes.
 */
public final class LogicalStream implements AutoCloseable {
    private static final long IDLE_SLEEP_MILLIS = 10;

    /** Bounds on one transaction held in memory before it is handed over whole. */
    public record Limits(int maxChanges, long maxBytes) {
        public static final Limits DEFAULT = new Limits(1_000_000, 256L * 1024 * 1024);
    }

    private final PGReplicationStream stream;
    private final PgOutputDecoder decoder;
    private final Limits limits;
    private final Runnable ended;
    private final LogSequenceNumber start;
    private LogSequenceNumber confirmed;
    /** The end of the last transaction handed over: a confirm beyond it is a caller's mistake. */
    private LogSequenceNumber handedOver;
    private LogSequenceNumber lastCommit = LogSequenceNumber.INVALID_LSN;
    private Open open;

    LogicalStream(PGReplicationStream stream, PgOutputDecoder decoder, LogSequenceNumber start, Limits limits,
                  Runnable ended) {
        this.stream = stream;
        this.ended = ended;
        this.decoder = decoder;
        this.limits = limits;
        this.start = start;
        this.confirmed = start;
        this.handedOver = start;
    }

    private static final class Open {
        final PgOutputDecoder.Begin begin;
        final List<Change> changes = new ArrayList<>();
        long bytes;

        Open(PgOutputDecoder.Begin begin) {
            this.begin = begin;
        }
    }

    /**
     * The next committed transaction that changed the table, or empty when none completes within
     * {@code timeout} (a half-read one is kept for the next poll). After a {@link CaptureException}
     * the stream is out of step: close it and start again from the slot's confirmed position.
     */
    public Optional<Transaction> poll(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            ByteBuffer message = read();
            if (message == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                sleep(Math.min(IDLE_SLEEP_MILLIS, Math.max(1, left / 1_000_000)));
                continue;
            }
            Transaction done = apply(message.remaining(), decoder.decode(message));
            if (done != null) {
                return Optional.of(done);
            }
            if (System.nanoTime() - deadline > 0) {
                return Optional.empty(); // a busy publication's other tables must not hold the caller past its timeout
            }
        }
    }

    private Transaction apply(int size, PgOutputDecoder.Event event) {
        if (event instanceof PgOutputDecoder.Begin begin) {
            if (open != null) {
                throw new CaptureException("the stream began transaction " + begin.xid() + " inside transaction "
                        + open.begin.xid());
            }
            open = new Open(begin);
        } else if (event instanceof PgOutputDecoder.RowChange row) {
            if (open == null) {
                throw new CaptureException("the stream sent a change outside a transaction");
            }
            open.changes.add(row.change());
            open.bytes += size;
            if (open.changes.size() > limits.maxChanges() || open.bytes > limits.maxBytes()) {
                throw new CaptureException("transaction " + open.begin.xid() + " changes the table more than "
                        + limits.maxChanges() + " times or by more than " + limits.maxBytes() + " bytes, the bounds "
                        + "of one transaction held in memory");
            }
        } else if (event instanceof PgOutputDecoder.Commit commit) {
            return commit(commit);
        }
        return null;
    }

    private Transaction commit(PgOutputDecoder.Commit commit) {
        if (open == null) {
            throw new CaptureException("the stream committed a transaction it did not begin");
        }
        if (!commit.commitLsn().equals(open.begin.finalLsn())) {
            throw new CaptureException("transaction " + open.begin.xid() + " committed at " + commit.commitLsn()
                    + " but began as ending at " + open.begin.finalLsn());
        }
        if (commit.commitLsn().compareTo(lastCommit) <= 0) {
            throw new CaptureException("the stream went back from commit " + lastCommit + " to " + commit.commitLsn());
        }
        lastCommit = commit.commitLsn();
        Open done = open;
        open = null;
        if (done.changes.isEmpty()) {
            return null; // only other tables of the publication: a heartbeat may confirm past it
        }
        handedOver = commit.endLsn();
        return new Transaction(commit.commitLsn(), commit.endLsn(), commit.commitTime(), done.begin.xid(),
                done.changes);
    }

    /**
     * Tells the server everything up to {@code lsn} (a handed-over transaction's {@code endLsn}) is
     * durably delivered: the slot may release the WAL before it, and a restart resumes after it.
     * Positions never go back; a position past what was handed over is refused.
     */
    public void confirm(LogSequenceNumber lsn) {
        if (lsn.compareTo(handedOver) > 0) {
            throw new IllegalArgumentException("cannot confirm " + lsn + ": the stream has handed over only up to "
                    + handedOver);
        }
        if (lsn.compareTo(confirmed) > 0) {
            send(lsn);
        }
    }

    /**
     * Tells the server the start position itself is durably delivered — the caller's checkpoint, which
     * the driver would otherwise never report, as nothing before it is handed over again.
     */
    public void confirmStart() {
        send(start);
    }

    /**
     * Whether every transaction that committed before {@code position} has been handed over: none is
     * half-read and the server has sent (a keepalive, or a transaction's end) at or past it. A walsender
     * that has caught up sends a keepalive at once while our confirmed position lags behind it.
     */
    public boolean caughtUp(LogSequenceNumber position) {
        return open == null && stream.getLastReceiveLSN().compareTo(position) >= 0;
    }

    /**
     * Call between polls. Lets an idle or filtered table's slot advance (the cause of WAL piling up behind slots in
     * other tools): when every handed-over transaction is confirmed and none is half-read, the
     * server's last reported position (its keepalive's WAL end, or the end of a transaction that did
     * not touch the table) holds nothing of ours that is undelivered, and is confirmed. Returns the
     * position confirmed, if it moved.
     */
    public Optional<LogSequenceNumber> heartbeat() {
        if (open != null || confirmed.compareTo(handedOver) < 0) {
            return Optional.empty();
        }
        // the driver raised this with every keepalive and message a poll read; nothing is read here, so
        // no transaction can slip past unhanded
        LogSequenceNumber server = stream.getLastReceiveLSN();
        if (server.compareTo(confirmed) <= 0) {
            return Optional.empty();
        }
        handedOver = server;
        send(server);
        return Optional.of(server);
    }

    private ByteBuffer read() {
        try {
            return stream.readPending();
        } catch (SQLException e) {
            throw new CaptureException("the replication stream failed: " + e.getMessage(), e);
        }
    }

    private void send(LogSequenceNumber lsn) {
        stream.setFlushedLSN(lsn);
        stream.setAppliedLSN(lsn);
        try {
            stream.forceUpdateStatus();
        } catch (SQLException e) {
            throw new CaptureException("cannot confirm " + lsn + " to the server: " + e.getMessage(), e);
        }
        confirmed = lsn;
    }

    public LogSequenceNumber confirmed() {
        return confirmed;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CaptureException("interrupted while waiting for the replication stream");
        }
    }

    /** Ends streaming; the session can then create, stream or drop slots again. */
    @Override
    public void close() {
        try {
            stream.close();
            ended.run();
        } catch (SQLException ignored) {
            // the session stays marked as streaming, so it is only closed; that ends the walsender too
        }
    }
}
