package dev.exportdesk.engine.runs;

import dev.exportdesk.chunk.ChunkCipher;
import dev.exportdesk.chunk.ChunkWriter;
import dev.exportdesk.chunk.DeliveryLayout;
import dev.exportdesk.chunk.RowBuffer;
import dev.exportdesk.chunk.RowEncoder;
import dev.exportdesk.chunk.RowMask;
import dev.exportdesk.chunk.SealedChunk;
import dev.exportdesk.contract.Contract;
import dev.exportdesk.engine.ContractService;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.engine.EngineException;
import dev.exportdesk.engine.ProgressListener;
import dev.exportdesk.engine.delivery.DeliveryPool;
import dev.exportdesk.engine.delivery.RunFailure;
import dev.exportdesk.engine.delivery.StagedChunks;
import dev.exportdesk.source.CapturedRow;
import dev.exportdesk.source.CursorCodec;
import dev.exportdesk.source.RangeScan;
import dev.exportdesk.source.RowDigest;
import dev.exportdesk.source.SchemaInspector;
import dev.exportdesk.source.SchemaMismatchException;
import dev.exportdesk.source.SourceSchema;
import dev.exportdesk.store.ChunkRecord;
import dev.exportdesk.store.ChunkState;
import dev.exportdesk.store.CorrectionRepository.Correction;
import dev.exportdesk.store.CorrectionRepository.Key;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.ScanPhase;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a correction run captures ({@link RunProtocol}), planned by {@link CorrectionPlanner}: each
 * correction chunk re-reads its keys from the source now — a key that is gone ships as
 * {@code _op: delete} with its key columns and every other column null. Sealing, delivery and
 * finalizing (hashes, SHA256SUMS, chained manifest, ledger leaves, checkpoint) are every run's, so a
 * kill at any instant is finished by {@code resume} with the same bytes.
 */
public final class CorrectionCapture implements RunProtocol.CaptureSource {
    private static final Logger LOG = LoggerFactory.getLogger(CorrectionCapture.class);

    private final EngineContext ctx;
    private final SchemaInspector inspector = new SchemaInspector();

    public CorrectionCapture(EngineContext ctx) {
        this.ctx = ctx;
    }

    /** The source schema, which must still be the one the contract version was accepted with. */
    @Override
    public Optional<RunProtocol.Prepared> prepare(RunRecord run, ContractService.LoadedContract loaded,
                                                  Connection source) {
        Contract contract = loaded.contract();
        SourceSchema schema;
        try {
            schema = inspector.inspect(source, contract);
        } catch (SchemaMismatchException e) {
            throw new EngineException("correction: " + e.getMessage());
        }
        if (run.schemaFingerprint() != null && !run.schemaFingerprint().equals(schema.fingerprint())) {
            throw new EngineException("correction: the source's columns changed since contract \"" + contract.name()
                    + "\" v" + run.contractVersion() + " was accepted; update the contract, run, and correct again");
        }
        return Optional.of(new RunProtocol.Prepared(run, schema, CursorCapture.effectiveLookback(contract, schema)));
    }

    @Override
    public void capture(RunProtocol.Prepared p, Contract contract, Connection source, DeliveryPool delivery,
                        Path staging, ProgressListener listener) throws RunFailure, InterruptedException {
        deliverAll(p.run(), contract, p.schema(), source, delivery, staging, listener);
    }

    private void deliverAll(RunRecord run, Contract contract, SourceSchema schema, Connection source,
                            DeliveryPool delivery, Path staging, ProgressListener listener)
            throws RunFailure, InterruptedException {
        Map<Integer, ChunkRecord> sealed = new HashMap<>();
        List<Correction> planned = ctx.store().inTransaction(c -> {
            ctx.store().chunks().deleteAllUnsealed(c, run.id());
            ctx.store().chunks().forRun(c, run.id()).forEach(ch -> sealed.put(ch.seq(), ch));
            return ctx.store().corrections().forRun(c, run.id());
        });
        ChunkCipher cipher = RunCipher.of(ctx, contract);
        RowMask mask = RunMask.of(ctx, contract, schema);
        RunProgress.Carried carried = new RunProgress.Carried(sealed.size(),
                sealed.values().stream().mapToLong(ChunkRecord::rowCount).sum());
        long started = System.nanoTime();
        long rows = 0;
        long bytes = 0;
        int done = 0;
        for (Correction x : planned) {
            ChunkRecord ch = sealed.get(x.chunkSeq());
            if (ch == null) {
                try {
                    ch = seal(run, contract, schema, source, staging, x, cipher, mask);
                } catch (IOException e) {
                    throw new RunFailure("writing correction chunk " + x.chunkSeq() + " to staging failed: "
                            + e.getMessage(), e);
                }
            }
            delivery.submit(ch);
            rows += ch.rowCount();
            bytes += ch.byteCount();
            listener.onProgress(new RunProgress(run.id(), contract.name(), run.sequence(), RunProgress.Phase.CORRECT, rows,
                    rows, ++done, bytes, Duration.ofNanos(System.nanoTime() - started), carried));
        }
        delivery.drain();
    }

    /** Re-reads one correction chunk's keys from the source now and seals the chunk. */
    private ChunkRecord seal(RunRecord run, Contract contract, SourceSchema schema, Connection source, Path staging,
                             Correction x, ChunkCipher cipher, RowMask mask) throws IOException {
        List<Key> keys = ctx.store().inTransaction(c -> ctx.store().corrections().keys(c, run.id(), x.chunkSeq()));
        String file = DeliveryLayout.chunkFile(x.chunkSeq(), contract.fileSuffix());
        ctx.store().update(c -> ctx.store().chunks().plan(c, run.id(), x.chunkSeq(), file, ctx.now()));
        RowEncoder encoder = RowEncoder.of(contract.fileFormat(), mask);
        RowBuffer buffer = new RowBuffer();
        RowDigest digest = new RowDigest();
        Object[] first = null;
        Object[] last = null;
        SealedChunk sealed;
        // under a lease, written under the epoch's own name until sealed, as every chunk (StagedChunks)
        String scratch = StagedChunks.scratchName(ctx.store().lease(), file);
        try (ChunkWriter writer = new ChunkWriter(staging.resolve(scratch), contract, mask, encoder.header(), cipher)) {
            for (Key k : keys) {
                Object[] key = CursorCodec.decode(k.rowKey());
                CapturedRow row = RangeScan.byKey(source, schema, key);
                if (row == null) {
                    row = tombstone(schema, key);
                }
                encoder.encode(row, buffer);
                writer.append(buffer, mask.deletes(row));
                digest.add(buffer.array(), 0, buffer.length());
                last = row.tuple(schema);
                first = first == null ? last : first;
            }
            sealed = writer.seal();
        }
        ChunkRecord record = new ChunkRecord(run.id(), x.chunkSeq(), ChunkState.PACKAGED, file, sealed.rows(),
                sealed.deletes(), sealed.bytes(), sealed.contentBytes(), sealed.sha256(), sealed.contentSha256(),
                CursorCodec.encode(first), CursorCodec.encode(last), ScanPhase.CORRECTION, schema.fingerprint(), 0,
                null, ctx.now());
        String hex = digest.hex();
        ctx.store().update(c -> {
            ctx.store().chunks().seal(c, record, ctx.now());
            ctx.store().reconciliations().recordRowDigest(c, run.id(), x.chunkSeq(), hex);
            ctx.store().runs().heartbeat(c, run.id(), ctx.now());
        });
        StagedChunks.publish(staging, scratch, file);
        LOG.info("correction chunk {} of {} run {} sealed: {} row(s) correcting run {} {}", x.chunkSeq(),
                contract.name(), run.sequence(), sealed.rows(), x.correctsSequence(), x.correctsFile());
        return record;
    }

    /** A row that is gone: its key, every other column null, as a delete. */
    static CapturedRow tombstone(SourceSchema schema, Object[] key) {
        Object[] values = new Object[schema.columns().size()];
        int[] idx = schema.keyIndexes();
        for (int i = 0; i < idx.length; i++) {
            values[idx[i]] = key[i];
        }
        return new CapturedRow(values, true);
    }

}
