package dev.exportdesk.engine.runs;

import dev.exportdesk.chunk.ChunkSizer;
import dev.exportdesk.chunk.ChunkCipher;
import dev.exportdesk.chunk.ChunkWriter;
import dev.exportdesk.chunk.DeliveryLayout;
import dev.exportdesk.chunk.EncodedLines;
import dev.exportdesk.chunk.RowEncoder;
import dev.exportdesk.chunk.RowMask;
import dev.exportdesk.chunk.SealedChunk;
import dev.exportdesk.contract.Contract;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.engine.ProgressListener;
import dev.exportdesk.engine.delivery.DeliveryPool;
import dev.exportdesk.engine.delivery.RunFailure;
import dev.exportdesk.engine.delivery.StagedChunks;
import dev.exportdesk.source.CanonicalValues;
import dev.exportdesk.source.CapturedRow;
import dev.exportdesk.source.CursorCodec;
import dev.exportdesk.source.ReadAheadScan;
import dev.exportdesk.source.ScanRange;
import dev.exportdesk.source.SourceScans;
import dev.exportdesk.source.SourceSchema;
import dev.exportdesk.source.ValueKind;
import dev.exportdesk.store.ChunkRecord;
import dev.exportdesk.store.RunMode;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.ScanPhase;
import dev.exportdesk.store.SegmentRow;
import dev.exportdesk.store.ShippedLines;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The capture loop of one attempt: reads, encodes, packs, seals and hands chunks to delivery. Of a
 * whole run ({@code segment} 0), or of one key range of a split run, whose chunks are numbered when
 * sealed ({@link dev.exportdesk.store.ChunkRepository#insertSealed}) and whose writes go through
 * {@code cx}, the store fenced by the range's claim.
 */
final class CaptureLoop {
    private static final Logger LOG = LoggerFactory.getLogger(CursorCapture.class);
    private static final long PROGRESS_EVERY_NANOS = 500_000_000L;
    /** A power of two. */
    private static final int CLOCK_EVERY_ROWS = 256;

    private final EngineContext cx;
    private final int segment;
    private final ScanRange segmentRange;
    private int scratchCount;
    private final RunRecord run;
    private final Contract contract;
    private final SourceSchema schema;
    private final Connection source;
    private final DeliveryPool delivery;
    private final Path staging;
    private final ProgressListener listener;
    private RowMask mask;
    private byte[] header;
    private final ChunkSizer sizer;
    private final Instant indexHorizon;
    private final ValueKind leadKind;
    private final long started = System.nanoTime();
    private long lastProgress;
    private int sinceClock;
    private long rows;
    private long rowsRead;
    private long bytes;
    private int chunks;
    private int nextSeq;
    private RunProgress.Carried carried = RunProgress.Carried.NONE;
    private OpenChunk open;
    /** The sealed chunk being captured again ({@link #recapture}): its rows all go into one file. */
    private ChunkRecord redo;
    /** Null unless the contract encrypts its chunks (OpenPGP). */
    private ChunkCipher cipher;

    CaptureLoop(EngineContext cx, RunRecord run, Contract contract, SourceSchema schema, Connection source,
            DeliveryPool delivery, Path staging, Duration lookback, ProgressListener listener, int segment,
            ScanRange segmentRange) {
        this.cx = cx;
        this.segment = segment;
        this.segmentRange = segmentRange;
        this.run = run;
        this.contract = contract;
        this.schema = schema;
        this.source = source;
        this.delivery = delivery;
        this.staging = staging;
        this.listener = listener;
        this.sizer = new ChunkSizer(contract.chunk());
        this.leadKind = schema.leadingCursor() == null ? null : schema.leadingCursor().kind();
        this.indexHorizon = RunFinalizer.indexHorizon(run, leadKind, lookback);
    }

    /** One per thread that encodes: encoders keep per-row scratch state. */
    private RowEncoder newEncoder() {
        return RowEncoder.of(contract.fileFormat(), mask);
    }

    void run() throws RunFailure, InterruptedException {
        try {
            captureAll();
        } finally {
            if (open != null) {
                try {
                    open.writer.close();
                } catch (IOException e) {
                    LOG.warn("could not discard an unsealed chunk: {}", e.toString());
                }
            }
        }
    }

    private void captureAll() throws RunFailure, InterruptedException {
        cipher = RunCipher.of(cx, contract);
        mask = RunMask.of(cx, contract, schema);
        header = newEncoder().header();
        List<ChunkRecord> existing = cx.store().inTransaction(c -> {
            if (segment > 0) {
                return cx.store().chunks().forSegment(c, run.id(), segment);
            }
            cx.store().chunks().deleteAllUnsealed(c, run.id());
            return cx.store().chunks().forRun(c, run.id());
        });
        if (!existing.isEmpty()) {
            LOG.info("{} chunk(s) sealed by an earlier attempt: delivering those not delivered yet", existing.size());
        }
        existing = recaptureLost(existing);
        ChunkRecord last = null;
        for (ChunkRecord ch : existing) {
            delivery.submit(ch);
            rows += ch.rowCount();
            bytes += ch.byteCount();
            chunks++;
            last = ch;
        }
        // rows an earlier attempt's lookback read and skipped are not known any more
        rowsRead = rows;
        carried = new RunProgress.Carried(chunks, rows);
        nextSeq = last == null ? 1 : last.seq() + 1;

        CaptureRanges ranges = segment > 0 ? new CaptureRanges(null, last == null ? segmentRange
                : segmentRange.withAfter(CursorCodec.decode(last.cursorTo())))
                : CaptureRanges.of(contract, run).after(last);
        if (ranges.lookback() != null) {
            LOG.info("capture: late-data lookback");
            // a re-send ships every row it reads again: the partner lost what was shipped
            scan(ScanPhase.LOOKBACK, ranges.lookback(), run.mode() != RunMode.RESEND);
        }
        if (ranges.forward() != null) {
            LOG.info("capture: forward");
            scan(ScanPhase.FORWARD, ranges.forward(), false);
        }
        if (open != null) {
            try {
                sealAndDeliver();
            } catch (IOException e) {
                throw new RunFailure("sealing the last chunk failed: " + e.getMessage(), e);
            }
        }
        delivery.drain();
        progress(true);
    }

    /**
     * Sealed chunks an earlier attempt left whose bytes are nowhere: the staged copy was on another
     * worker's machine and the destination holds nothing at the chunk's name, so no partner saw
     * any of it. Each is captured again from its exact range; a chunk whose range is not known
     * ({@link ChunkRanges#scansOf}) is left to delivery, which fails it naming the file.
     */
    private List<ChunkRecord> recaptureLost(List<ChunkRecord> existing) throws RunFailure, InterruptedException {
        List<ChunkRecord> out = new ArrayList<>(existing.size());
        List<SegmentRow> ranges = segment == 0 ? List.of()
                : cx.store().inTransaction(c -> cx.store().segments().forRun(c, run.id()));
        for (ChunkRecord ch : existing) {
            Optional<List<ChunkRanges.Scan>> scans = delivery.lost(ch)
                    ? ChunkRanges.scansOf(contract, run, existing, ranges, ch) : Optional.empty();
            out.add(scans.isPresent() ? recapture(ch, scans.get()) : ch);
        }
        return out;
    }

    /**
     * Reads {@code ch}'s range again into one file under its number and name, through the same
     * encoder, mask and cipher. The same bytes: delivered as sealed. Other bytes (rows changed
     * since, or OpenPGP's fresh ciphertext): re-sealed in one fenced transaction with its row
     * digest and shipped-line index, audited {@code chunk.recaptured} with both hashes. A row
     * changed since carries a cursor past the run's fixed upper bound, so it left this range for
     * the next run, which ships it; the version this chunk held went nowhere, so each version a
     * partner receives still comes once.
     */
    private ChunkRecord recapture(ChunkRecord ch, List<ChunkRanges.Scan> scans)
            throws RunFailure, InterruptedException {
        LOG.warn("the staged copy of sealed chunk {} is not on this machine and the destination does not hold "
                + "it: capturing its range again", ch.fileName());
        long rowsBefore = rows;
        long readBefore = rowsRead;
        redo = ch;
        try {
            ChunkSeal.Opened reopened = ChunkSeal.reopen(cx, contract, ch, staging, header, cipher, mask);
            open = new OpenChunk(ch.seq(), ch.fileName(), reopened.scratch(), reopened.writer(), System.nanoTime());
            for (ChunkRanges.Scan s : scans) {
                boolean dedupe = s.phase() == ScanPhase.LOOKBACK && run.mode() != RunMode.RESEND;
                scan(s.phase(), s.range(), dedupe);
            }
            OpenChunk chunk = open;
            open = null;
            SealedChunk sealed = chunk.writer.seal();
            ChunkRecord record = ChunkSeal.recaptured(cx, run, ch, staging, chunk.scratch, sealed,
                    chunk.first == null ? ch.cursorFrom() : CursorCodec.encode(chunk.first), chunk.digest.hex(), c -> {
                        cx.store().lookbackIndex().forget(c, run.id(), ch.seq());
                        cx.store().lookbackIndex().record(c, contract.name(), run.id(), ch.seq(), chunk.shipped.blocks());
                    });
            LOG.warn("chunk {} captured again: {} row(s), sha256 {} (was {}, {} row(s))", ch.fileName(),
                    record.rowCount(), record.sha256(), ch.sha256(), ch.rowCount());
            return record;
        } catch (IOException e) {
            throw new RunFailure("capturing chunk " + ch.fileName() + " again failed: " + e.getMessage(), e);
        } finally {
            redo = null;
            rows = rowsBefore;
            rowsRead = readBefore;
        }
    }

    private void scan(ScanPhase phase, ScanRange range, boolean dedupe) throws RunFailure, InterruptedException {
        // a chunk captured again must not hold back its own lines as shipped: they never reached anyone
        LookbackSweep shipped = dedupe ? new LookbackSweep(cx.store(), contract.name(),
                CanonicalValues.instantOf(CursorCodec.decodeValue(run.lookbackFrom()), leadKind),
                redo == null ? "" : run.id(), redo == null ? 0 : redo.seq()) : null;
        int lead = schema.orderIndexes()[0];
        EncodedLines.CursorTime at = indexHorizon == null && shipped == null ? null
                : (row, seconds, nanos, i) -> CanonicalValues.instantOf(row.values()[lead], leadKind, seconds, nanos, i);
        try (ReadAheadScan<EncodedLines> scan = new ReadAheadScan<>(SourceScans.ordered(source, schema, range,
                contract.fetchSize()), EncodedLines.encoder(newEncoder(), mask::deletes, at))) {
            for (CapturedRow row = scan.next(); row != null; row = scan.next()) {
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                accept(phase, row, scan.batch(), scan.index(), shipped);
            }
        } catch (IOException e) {
            throw new RunFailure("writing a chunk to staging failed: " + e.getMessage(), e);
        }
    }

    /** {@code shipped}: the lookback's view of what was delivered (null in the forward scan). */
    private void accept(ScanPhase phase, CapturedRow row, EncodedLines lines, int i, LookbackSweep shipped)
            throws IOException, RunFailure, InterruptedException {
        rowsRead++;
        boolean indexed = indexHorizon != null && lines.timed() && lines.atOrAfter(i, indexHorizon);
        if (shipped != null) {
            if (lines.timed() && shipped.shipped(lines.at(i), lines.sha256(i))) {
                progress(false); // still reading: the ETA counts it, and a cancel is noticed here too
                return;
            }
            LOG.info("late or re-committed row {} of {} found by the lookback; shipping it",
                    CursorCodec.encode(row.key(schema)), contract.name());
        }
        if (open == null) {
            open = startChunk();
        }
        open.writer.append(lines.bytes(), lines.offset(i), lines.length(i), lines.delete(i));
        open.digest.addHash(lines.shas(), i * EncodedLines.SHA_BYTES); // issue 5: source reconciliation digest
        if (open.first == null) {
            open.first = row.tuple(schema);
        }
        // the ordering tuple of the chunk's last row is made once, at its seal (issue 14: one per row showed in
        // the profile of the thread that compresses)
        open.lastRow = row;
        open.phase = phase;
        if (indexed) {
            open.shipped.add(lines.shas(), i * EncodedLines.SHA_BYTES, lines.atSecond(i), lines.atNano(i));
        }
        rows++;
        if (redo == null && sizer.full(open.writer.rows(), open.writer.contentBytes())) {
            sealAndDeliver();
        }
        progress(false);
    }

    private OpenChunk startChunk() throws IOException {
        if (segment > 0) {
            // numbered at its seal, when the ranges' chunks take the run's next numbers in turn
            String scratch = StagedChunks.scratchName(cx.store().lease(), "range-" + segment + "-"
                    + (++scratchCount) + contract.fileSuffix());
            ChunkWriter writer = new ChunkWriter(staging.resolve(scratch), contract, mask, header, cipher);
            return new OpenChunk(0, null, scratch, writer, System.nanoTime());
        }
        int seq = nextSeq++;
        String file = DeliveryLayout.chunkFile(seq, contract.fileSuffix());
        ChunkSeal.Opened opened = ChunkSeal.open(cx, run, contract, seq, file, staging, header, cipher, mask);
        return new OpenChunk(seq, file, opened.scratch(), opened.writer(), System.nanoTime());
    }

    private void sealAndDeliver() throws IOException, RunFailure, InterruptedException {
        OpenChunk chunk = open;
        open = null;
        SealedChunk sealed = chunk.writer.seal();
        Instant now = cx.now();
        ChunkRecord record;
        if (segment > 0) {
            String parked = StagedChunks.parkSealed(staging, chunk.scratch, sealed.sha256(), cx.store().lease());
            int seq = cx.store().inTransaction(c -> {
                int n = cx.store().chunks().insertSealed(c, sealedRecord(0, null, chunk, sealed, now), segment,
                        k -> DeliveryLayout.chunkFile(k, contract.fileSuffix()), now);
                recordSealed(c, n, chunk, now);
                return n;
            });
            record = sealedRecord(seq, DeliveryLayout.chunkFile(seq, contract.fileSuffix()), chunk, sealed, now);
            StagedChunks.publish(staging, parked, record.fileName());
        } else {
            record = sealedRecord(chunk.seq, chunk.file, chunk, sealed, now);
            cx.store().update(c -> {
                cx.store().chunks().seal(c, record, now);
                recordSealed(c, chunk.seq, chunk, now);
            });
            StagedChunks.publish(staging, chunk.scratch, chunk.file);
        }
        LOG.info("chunk {} sealed: {} row(s), {} byte(s), sha256 {}", record.fileName(), sealed.rows(),
                sealed.bytes(), sealed.sha256());
        ChunkSeal.handOver(cx, contract, record, sealed, chunk.startedNanos, sizer, delivery);
        chunks++;
        bytes += sealed.bytes();
        progress(true);
    }

    private ChunkRecord sealedRecord(int seq, String file, OpenChunk chunk, SealedChunk sealed, Instant now) {
        return ChunkSeal.record(run, seq, file, sealed, CursorCodec.encode(chunk.first),
                CursorCodec.encode(chunk.lastRow.tuple(schema)), chunk.phase, schema.fingerprint(), now);
    }

    /** What a seal records beside the chunk, in its transaction: the row digest and the lookback's index. */
    private void recordSealed(Connection c, int seq, OpenChunk chunk, Instant now) throws SQLException {
        cx.store().reconciliations().recordRowDigest(c, run.id(), seq, chunk.digest.hex());
        cx.store().lookbackIndex().record(c, contract.name(), run.id(), seq, chunk.shipped.blocks());
        cx.store().runs().heartbeat(c, run.id(), now);
    }

    private void progress(boolean force) {
        // the clock is read every CLOCK_EVERY_ROWS rows: once a row, it was 3 % of this thread's time (issue 14)
        if (!force && (++sinceClock & (CLOCK_EVERY_ROWS - 1)) != 0) {
            return;
        }
        long now = System.nanoTime();
        if (!force && now - lastProgress < PROGRESS_EVERY_NANOS) {
            return;
        }
        lastProgress = now;
        listener.onProgress(new RunProgress(run.id(), contract.name(), run.sequence(), RunProgress.Phase.CAPTURE, rows,
                rowsRead, chunks, bytes, Duration.ofNanos(now - started), carried));
    }

    /** A chunk being written: its writer, first/last ordering tuples and rows to index at sealing. */
    private static final class OpenChunk {
        final int seq;
        final String file;
        /** Where it is written until sealed: {@link StagedChunks#scratchName}. */
        final String scratch;
        final ChunkWriter writer;
        final long startedNanos;
        final ShippedLines shipped = new ShippedLines();
        final dev.exportdesk.source.RowDigest digest = new dev.exportdesk.source.RowDigest();
        Object[] first;
        CapturedRow lastRow;
        ScanPhase phase;

        OpenChunk(int seq, String file, String scratch, ChunkWriter writer, long startedNanos) {
            this.seq = seq;
            this.file = file;
            this.scratch = scratch;
            this.writer = writer;
            this.startedNanos = startedNanos;
        }
    }
}
