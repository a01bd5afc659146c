package dev.exportdesk.engine.runs;

import dev.exportdesk.cdc.CaptureException;
import dev.exportdesk.cdc.Change;
import dev.exportdesk.cdc.CopySnapshots;
import dev.exportdesk.cdc.LogicalStream;
import dev.exportdesk.cdc.LogicalTable;
import dev.exportdesk.cdc.ReplicationSession;
import dev.exportdesk.cdc.ResyncRequiredException;
import dev.exportdesk.cdc.SchemaChangedException;
import dev.exportdesk.cdc.Transaction;
import dev.exportdesk.chunk.ChunkCipher;
import dev.exportdesk.chunk.ChunkSizer;
import dev.exportdesk.chunk.ChunkWriter;
import dev.exportdesk.chunk.DeliveryLayout;
import dev.exportdesk.chunk.RowBuffer;
import dev.exportdesk.chunk.RowEncoder;
import dev.exportdesk.chunk.RowMask;
import dev.exportdesk.chunk.SealedChunk;
import dev.exportdesk.contract.Contract;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.engine.ProgressListener;
import dev.exportdesk.engine.delivery.DeliveryPool;
import dev.exportdesk.engine.delivery.RunFailure;
import dev.exportdesk.engine.delivery.StagedChunks;
import dev.exportdesk.source.CapturedRow;
import dev.exportdesk.source.CursorCodec;
import dev.exportdesk.source.RowDigest;
import dev.exportdesk.source.SourceConnector;
import dev.exportdesk.source.SourceSchema;
import dev.exportdesk.store.ChunkRecord;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.ScanPhase;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.postgresql.replication.LogSequenceNumber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt of a stream run: the transactions that committed in [checkpoint, upper bound) of the
 * log, in commit order, in chunks that end on transaction boundaries. A chunk records the commit
 * positions of its first and last transaction and is sealed in one state-store transaction, so a
 * resumed attempt skips every transaction up to the last sealed one and reads on. Changes the
 * table copy already holds are skipped ({@link CopySnapshots}); nothing is confirmed to the slot
 * here: the run's checkpoint is confirmed by the next run, once this one completed.
 *
 * <p>A transaction that truncates the table starts a chunk of its own marked truncate-first, holding
 * only its changes after its last TRUNCATE (the TRUNCATE wiped the earlier ones): the partner empties
 * its copy, then applies the chunk. The mark is sealed with the chunk, and a resumed attempt reads on
 * after the last sealed transaction, so the TRUNCATE is in a sealed chunk wholly or not at all.
 */
final class LogicalStreamCapture {
    private static final Logger LOG = LoggerFactory.getLogger(LogicalStreamCapture.class);
    private static final Duration POLL = Duration.ofMillis(200);
    /** How long the stream may send nothing at all before the attempt fails (the server keeps alive every 10 s). */
    private static final Duration SILENCE = Duration.ofMinutes(2);
    private static final long PROGRESS_EVERY_NANOS = 500_000_000L;

    private final EngineContext ctx;
    private final RunRecord run;
    private final Contract contract;
    private final SourceSchema schema;
    private final Connection source;
    private final DeliveryPool delivery;
    private final Path staging;
    private final ProgressListener listener;
    private final ChunkSizer sizer;
    private RowMask mask;
    private byte[] header;
    private RowEncoder encoder;
    private final RowBuffer line = new RowBuffer();
    private final long started = System.nanoTime();
    private long lastProgress;
    private long rows;
    private long changesRead;
    private long bytes;
    private int chunks;
    private int nextSeq;
    private Open open;
    /** Sealed chunks whose bytes are nowhere, in order, read again from the slot ({@link #recapture}). */
    private final List<ChunkRecord> lost = new ArrayList<>();
    /** The lost chunk being written again, and the copy snapshots it skips by. */
    private Open redo;
    private CopySnapshots redoCopies;
    /** Null unless the contract encrypts its chunks (OpenPGP). */
    private ChunkCipher cipher;

    LogicalStreamCapture(EngineContext ctx, RunProtocol.Prepared p, Contract contract, Connection source,
                         DeliveryPool delivery, Path staging, ProgressListener listener) {
        this.ctx = ctx;
        this.run = p.run();
        this.contract = contract;
        this.schema = p.schema();
        this.source = source;
        this.delivery = delivery;
        this.staging = staging;
        this.listener = listener;
        this.sizer = new ChunkSizer(contract.chunk());
    }

    /** A chunk being written: its transactions' commit positions, its writer and its row digest. */
    private static final class Open {
        final int seq;
        final String file;
        final String scratch;
        final ChunkWriter writer;
        final long startedNanos = System.nanoTime();
        final RowDigest digest = new RowDigest();
        final boolean truncateFirst;
        LogSequenceNumber first;
        LogSequenceNumber last;

        Open(int seq, String file, String scratch, ChunkWriter writer, boolean truncateFirst) {
            this.seq = seq;
            this.file = file;
            this.scratch = scratch;
            this.writer = writer;
            this.truncateFirst = truncateFirst;
        }
    }

    void run() throws RunFailure, InterruptedException, SQLException, SchemaDrift, ResyncNeeded {
        try {
            capture();
        } finally {
            for (Open o : new Open[] {open, redo}) {
                if (o != null) {
                    try {
                        o.writer.close();
                    } catch (IOException e) {
                        LOG.warn("could not discard an unsealed chunk: {}", e.toString());
                    }
                }
            }
        }
    }

    private void capture() throws RunFailure, InterruptedException, SQLException, SchemaDrift, ResyncNeeded {
        cipher = RunCipher.of(ctx, contract);
        mask = RunMask.of(ctx, contract, schema);
        encoder = RowEncoder.of(contract.fileFormat(), mask);
        header = encoder.header();
        List<ChunkRecord> existing = ctx.store().inTransaction(c -> {
            ctx.store().chunks().deleteAllUnsealed(c, run.id());
            return ctx.store().chunks().forRun(c, run.id());
        });
        ChunkRecord last = existing.isEmpty() ? null : existing.get(existing.size() - 1);
        LogSequenceNumber closedAt = LogicalCapture.position(run.upperBound());
        boolean closed = last != null && closedAt.asLong() - LogicalCapture.position(last.cursorTo()).asLong() <= 1;
        // the slot holds every change since the run's start until the next run: a lost chunk is read again
        // (asked of every chunk before any is submitted: the question uses the delivery's own connection)
        for (ChunkRecord ch : existing) {
            if (!closed && delivery.lost(ch)) {
                lost.add(ch);
            }
        }
        for (ChunkRecord ch : existing) {
            if (!lost.contains(ch)) {
                delivery.submit(ch);
            }
            rows += ch.rowCount();
            bytes += ch.byteCount();
            chunks++;
        }
        nextSeq = last == null ? 1 : last.seq() + 1;
        LogSequenceNumber from = LogicalCapture.position(run.cursorFrom());
        LogSequenceNumber upTo = LogicalCapture.position(run.upperBound());
        // transactions up to the last sealed one are in this run's chunks already
        LogSequenceNumber sealedUpTo = last == null ? null : LogicalCapture.position(last.cursorTo());
        if (!existing.isEmpty()) {
            LOG.info("{} chunk(s) sealed by an earlier attempt, up to commit {}: delivering those not delivered yet",
                    existing.size(), sealedUpTo);
        }
        if (sealedUpTo != null && upTo.asLong() - sealedUpTo.asLong() <= 1) {
            // closed at its last sealed chunk (a re-sync): nothing more to read, and the slot may be gone
            delivery.drain();
            progress(true);
            return;
        }
        // once the partner empties its copy, every later change must ship: the copy's rows are gone there
        CopySnapshots copies = copiesUpTo(existing, Integer.MAX_VALUE);
        SourceConnector.Login login = ctx.sources().login(contract.source());
        String slot = contract.capture().slot();
        boolean allColumns = contract.columns() == null || contract.columns().isEmpty();
        try (ReplicationSession session = ReplicationSession.open(login.driverUrl(), login.properties());
             LogicalStream stream = session.stream(slot, contract.capture().publication(), from,
                     LogicalTable.resolve(source, schema, allColumns), LogicalStream.Limits.DEFAULT)) {
            // the checkpoint this run starts from is a completed run's: the slot may let go of the log before it
            stream.confirmStart();
            long lastNews = System.nanoTime();
            while (true) {
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                Optional<Transaction> next = stream.poll(POLL);
                if (next.isPresent()) {
                    lastNews = System.nanoTime();
                    Transaction t = next.get();
                    if (t.commitLsn().compareTo(from) < 0) {
                        continue;
                    }
                    if (sealedUpTo != null && t.commitLsn().compareTo(sealedUpTo) <= 0) {
                        recapture(t, existing);
                        continue;
                    }
                    if (t.commitLsn().compareTo(upTo) >= 0) {
                        break; // the next run's
                    }
                    copies = append(t, copies);
                } else if (stream.caughtUp(upTo)) {
                    break;
                } else if (System.nanoTime() - lastNews > SILENCE.toNanos()) {
                    throw new RunFailure("the replication stream of slot \"" + slot + "\" did not reach log position "
                            + upTo + " within " + SILENCE.toMinutes() + " minutes");
                }
                progress(false);
            }
        } catch (SchemaChangedException e) {
            throw new SchemaDrift("schema drift in the log: " + e.getMessage(), e);
        } catch (ResyncRequiredException e) {
            throw new ResyncNeeded(e.getMessage() + ": `exportdesk resync " + contract.name()
                    + "` sends the table again", e);
        } catch (CaptureException e) {
            throw new RunFailure(e.getMessage(), e);
        } catch (IOException e) {
            throw new RunFailure("writing a chunk to staging failed: " + e.getMessage(), e);
        }
        if (!lost.isEmpty()) {
            throw new RunFailure("chunk " + lost.get(0).fileName() + " was sealed on another machine and could not be "
                    + "read again from slot \"" + slot + "\": its transactions did not come back");
        }
        if (open != null) {
            try {
                seal();
            } catch (IOException e) {
                throw new RunFailure("sealing the last chunk failed: " + e.getMessage(), e);
            }
        }
        delivery.drain();
        progress(true);
    }

    /**
     * A transaction an earlier attempt already put in a sealed chunk: written again into that chunk
     * when the chunk is lost (its staged copy was on another machine and the destination does not
     * hold it), so no partner saw any of it. The slot gives back the same transactions in the same
     * order, and a chunk holds exactly the transactions between its first and last commit (those
     * between chunks wrote no row), so the same bytes come out unless the chunk is encrypted (fresh
     * ciphertext: re-sealed). Delivered once its last transaction is in.
     */
    private void recapture(Transaction t, List<ChunkRecord> existing)
            throws IOException, RunFailure, InterruptedException, SQLException {
        ChunkRecord ch = lost.isEmpty() ? null : lost.get(0);
        if (ch == null || t.commitLsn().compareTo(LogicalCapture.position(ch.cursorFrom())) < 0) {
            return;
        }
        LogSequenceNumber lastCommit = LogicalCapture.position(ch.cursorTo());
        if (t.commitLsn().compareTo(lastCommit) > 0) {
            throw new RunFailure("chunk " + ch.fileName() + " was sealed on another machine and could not be read "
                    + "again from the slot: its last transaction (commit " + lastCommit + ") did not come back");
        }
        if (redo == null) {
            LOG.warn("the staged copy of sealed chunk {} is not on this machine and the destination does not hold "
                    + "it: reading its transactions again from the slot", ch.fileName());
            ChunkSeal.Opened reopened = ChunkSeal.reopen(ctx, contract, ch, staging, header, cipher, mask);
            redo = new Open(ch.seq(), ch.fileName(), reopened.scratch(), reopened.writer(), ch.truncateFirst());
            // the table copy's rows are skipped as they were then: until a TRUNCATE shipped
            redoCopies = copiesUpTo(existing, ch.seq());
        }
        Open saved = open;
        long rowsBefore = rows;
        long readBefore = changesRead;
        open = redo;
        try {
            writeChanges(t, ch.truncateFirst() ? lastTruncate(t.changes()) : -1, redoCopies);
        } finally {
            open = saved;
            rows = rowsBefore;
            changesRead = readBefore;
        }
        if (t.commitLsn().equals(lastCommit)) {
            Open chunk = redo;
            redo = null;
            lost.remove(0);
            ChunkRecord record = ChunkSeal.recaptured(ctx, run, ch, staging, chunk.scratch, chunk.writer.seal(),
                    ch.cursorFrom(), chunk.digest.hex(), c -> { });
            LOG.warn("chunk {} read again from the slot: {} row(s), sha256 {} (was {})", ch.fileName(),
                    record.rowCount(), record.sha256(), ch.sha256());
            delivery.submit(record);
        }
    }

    /**
     * The table copy's snapshots to skip its rows by, for changes written into chunk {@code seq} or
     * later; none once a chunk up to {@code seq} emptied the partner's copy (its rows are gone there).
     */
    private CopySnapshots copiesUpTo(List<ChunkRecord> existing, int seq) throws SQLException {
        return existing.stream().anyMatch(x -> x.seq() <= seq && x.truncateFirst()) ? null
                : ContractCopy.snapshots(ctx, contract, schema, source);
    }

    /** Returns the copy snapshots still to skip by: none once this transaction shipped a TRUNCATE. */
    private CopySnapshots append(Transaction t, CopySnapshots copies)
            throws IOException, RunFailure, InterruptedException {
        List<Change> changes = t.changes();
        int truncate = lastTruncate(changes);
        if (truncate >= 0) {
            changesRead += truncate + 1;
            if (open != null) {
                seal(); // it holds earlier transactions only: chunks end on transaction boundaries
            }
            open = start(true);
            open.first = t.commitLsn();
            open.last = t.commitLsn();
            copies = null;
            LOG.info("table {} truncated (commit {}): chunk {} empties the partner's copy first",
                    schema.relationSql(), t.commitLsn(), open.file);
        }
        writeChanges(t, truncate, copies);
        if (open != null && sizer.full(open.writer.rows(), open.writer.contentBytes())) {
            seal(); // on the transaction's boundary: a chunk never holds part of one
        }
        return copies;
    }

    /** The transaction's changes after the one at {@code truncate} (-1: all of them), into the open chunk. */
    private void writeChanges(Transaction t, int truncate, CopySnapshots copies) throws IOException {
        List<Change> changes = t.changes();
        for (Change change : changes.subList(truncate + 1, changes.size())) {
            changesRead++;
            switch (change.op()) {
                case TRUNCATE -> throw new IllegalStateException("a TRUNCATE after the transaction's last one");
                case DELETE -> write(t, change.values(), true, copies);
                case INSERT, UPDATE -> {
                    if (change.oldKey() != null && !Arrays.equals(change.oldKey(), key(change.values()))) {
                        write(t, keyOnly(change.oldKey()), true, copies); // the row left its old key
                    }
                    write(t, change.values(), false, copies);
                }
            }
        }
    }

    private static int lastTruncate(List<Change> changes) {
        for (int i = changes.size() - 1; i >= 0; i--) {
            if (changes.get(i).op() == Change.Op.TRUNCATE) {
                return i;
            }
        }
        return -1;
    }

    private void write(Transaction t, Object[] values, boolean delete, CopySnapshots copies) throws IOException {
        if (copies != null && copies.copied(t.xid(), key(values))) {
            return; // the table copy read this row after the change
        }
        CapturedRow row = delete ? new CapturedRow(values, true) : CapturedRow.of(values, schema);
        encoder.encode(row, line);
        if (open == null) {
            open = start(false);
        }
        open.writer.append(line, mask.deletes(row));
        open.digest.add(line.array(), 0, line.length());
        if (open.first == null) {
            open.first = t.commitLsn();
        }
        open.last = t.commitLsn();
        rows++;
    }

    private Object[] key(Object[] values) {
        int[] idx = schema.keyIndexes();
        Object[] out = new Object[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = values[idx[i]];
        }
        return out;
    }

    private Object[] keyOnly(Object[] key) {
        Object[] values = new Object[schema.columns().size()];
        int[] idx = schema.keyIndexes();
        for (int i = 0; i < idx.length; i++) {
            values[idx[i]] = key[i];
        }
        return values;
    }

    private Open start(boolean truncateFirst) throws IOException {
        int seq = nextSeq++;
        String file = DeliveryLayout.chunkFile(seq, contract.fileSuffix());
        ChunkSeal.Opened opened = ChunkSeal.open(ctx, run, contract, seq, file, staging, header, cipher, mask);
        return new Open(seq, file, opened.scratch(), opened.writer(), truncateFirst);
    }

    private void seal() throws IOException, RunFailure, InterruptedException {
        Open chunk = open;
        open = null;
        SealedChunk sealed = chunk.writer.seal();
        Instant now = ctx.now();
        ChunkRecord record = ChunkSeal.record(run, chunk.seq, chunk.file, sealed,
                CursorCodec.encode(new Object[] {chunk.first.asString()}),
                CursorCodec.encode(new Object[] {chunk.last.asString()}), ScanPhase.STREAM, schema.fingerprint(),
                now, chunk.truncateFirst);
        ctx.store().update(c -> {
            ctx.store().chunks().seal(c, record, now);
            ctx.store().reconciliations().recordRowDigest(c, run.id(), chunk.seq, chunk.digest.hex());
            ctx.store().runs().heartbeat(c, run.id(), now);
        });
        StagedChunks.publish(staging, chunk.scratch, chunk.file);
        LOG.info("chunk {} sealed: {} row(s), commits {} to {}{}, sha256 {}", chunk.file, sealed.rows(), chunk.first,
                chunk.last, chunk.truncateFirst ? " (truncate first)" : "", sealed.sha256());
        ChunkSeal.handOver(ctx, contract, record, sealed, chunk.startedNanos, sizer, delivery);
        chunks++;
        bytes += sealed.bytes();
        progress(true);
    }

    private void progress(boolean force) {
        long now = System.nanoTime();
        if (!force && now - lastProgress < PROGRESS_EVERY_NANOS) {
            return;
        }
        lastProgress = now;
        listener.onProgress(new RunProgress(run.id(), contract.name(), run.sequence(), RunProgress.Phase.CAPTURE, rows,
                changesRead, chunks, bytes, Duration.ofNanos(now - started), RunProgress.Carried.NONE));
    }
}
