package dev.exportdesk.engine.runs;

import dev.exportdesk.chunk.ChunkCipher;
import dev.exportdesk.chunk.ChunkEntry;
import dev.exportdesk.chunk.DeliveryLayout;
import dev.exportdesk.chunk.Hashing;
import dev.exportdesk.chunk.Manifest;
import dev.exportdesk.chunk.ManifestCodec;
import dev.exportdesk.chunk.SchemaChangeNotice;
import dev.exportdesk.chunk.Sha256Sums;
import dev.exportdesk.contract.Contract;
import dev.exportdesk.contract.OpenPgpSpec;
import dev.exportdesk.contract.OutputFormat;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.engine.delivery.ChunkDelivery;
import dev.exportdesk.engine.delivery.RunFailure;
import dev.exportdesk.engine.delivery.StagedCopies;
import dev.exportdesk.engine.ledger.LedgerService;
import dev.exportdesk.ledger.LedgerException;
import dev.exportdesk.ledger.LedgerProofs;
import dev.exportdesk.source.CanonicalValues;
import dev.exportdesk.source.CursorCodec;
import dev.exportdesk.source.ValueKind;
import dev.exportdesk.store.Checkpoint;
import dev.exportdesk.store.ChunkRecord;
import dev.exportdesk.store.RunMode;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.ScanPhase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Completes a run whose chunks are all delivered: SHA256SUMS, then manifest.json (its presence
 * tells the partner the run is complete), then — in one durable transaction — the run is marked
 * complete and the checkpoint advanced. Everything written is rebuilt from the state store, so a
 * repeat after a crash writes byte-identical files.
 */
final class RunFinalizer {
    private static final Logger LOG = LoggerFactory.getLogger(RunFinalizer.class);
    private static final DateTimeFormatter CREATED_AT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'");
    private final EngineContext ctx;
    private final LedgerService ledger;
    private final StagedCopies staged;

    RunFinalizer(EngineContext ctx) {
        this.ctx = ctx;
        this.ledger = new LedgerService(ctx);
        this.staged = new StagedCopies(ctx);
    }

    /** Returns the manifest's SHA-256. */
    String finish(RunRecord run, Contract contract, List<String> columnNames, ValueKind leadKind, Duration lookback,
                  ChunkDelivery delivery, Path staging) throws RunFailure, InterruptedException {
        List<ChunkRecord> chunks = ctx.store().inTransaction(c -> ctx.store().chunks().forRun(c, run.id()));
        Map<Integer, ChunkEntry.Corrects> corrects = new HashMap<>();
        ctx.store().inTransaction(c -> ctx.store().corrections().forRun(c, run.id())).forEach(x ->
                corrects.put(x.chunkSeq(), new ChunkEntry.Corrects(x.correctsRunId(), x.correctsSequence(),
                        x.correctsFile())));
        List<ChunkEntry> entries = new ArrayList<>();
        long rows = 0;
        long bytes = 0;
        String lastForward = null;
        for (ChunkRecord ch : chunks) {
            if (!ch.state().delivered()) {
                throw new RunFailure("chunk " + ch.fileName() + " is " + ch.state() + ", not delivered");
            }
            entries.add(new ChunkEntry(ch.fileName(), ch.rowCount(), ch.deleteCount(), ch.byteCount(), ch.sha256(),
                    ch.contentSha256(), ManifestCodec.json(ch.cursorFrom()), ManifestCodec.json(ch.cursorTo()),
                    ch.schemaFingerprint(), corrects.get(ch.seq()), ch.truncateFirst()));
            rows += ch.rowCount();
            bytes += ch.byteCount();
            if (ch.scanPhase() == ScanPhase.FORWARD) {
                lastForward = ch.cursorTo();
            }
        }
        Manifest manifest = new Manifest(Manifest.FORMAT, contract.name(), run.contractVersion(), contract.partner(),
                run.id(), run.sequence(), run.mode().wire(), CREATED_AT.format(run.plannedAt().atOffset(ZoneOffset.UTC)),
                run.previousManifestSha256(), ManifestCodec.json(run.upperBound()), contract.format().jsonName(),
                contract.compression().jsonName(), columnNames, contract.keyColumns(), contract.cursorColumns(), rows,
                entries, contract.encrypted() ? Manifest.OPENPGP : null,
                contract.masking().isEmpty() ? null : contract.masking().fingerprint(), schemaNotice(run),
                contract.format() == OutputFormat.CSV && !contract.csv().isDefault() ? contract.csv() : null,
                contract.pathTemplate().isDefault() ? null
                        : DeliveryLayout.runDirectory(contract, run.contractVersion(), run.sequence(), run.plannedAt()),
                run.mode() == RunMode.RESEND ? ManifestCodec.json(run.lookbackFrom()) : null);
        byte[] manifestBytes = ManifestCodec.write(manifest);
        String manifestSha = Hashing.sha256Hex(manifestBytes);
        LOG.info("finalizing: every chunk delivered; ledger proofs, SHA256SUMS and the manifest (sha256 {}) follow",
                manifestSha);
        // under a lease, a folder of the epoch's own: a stale holder waking up can never rewrite a file
        // the new holder is sending
        Path files = ctx.store().lease().map(l -> staging.resolve("final-e" + l.epoch())).orElse(staging);
        try {
            Files.createDirectories(files);
            Map<String, String> ledgerFiles = deliverLedger(run, contract, chunks, manifestSha, rows, delivery, files);
            Path sums = files.resolve(Manifest.SUMS_FILE_NAME);
            Path man = files.resolve(Manifest.FILE_NAME);
            byte[] sumsBytes = Sha256Sums.write(entries, ledgerFiles);
            Files.write(sums, sumsBytes);
            Files.write(man, manifestBytes);
            String sumsSha = Hashing.sha256Hex(sumsBytes);
            delivery.deliverFile(run.id(), Manifest.SUMS_FILE_NAME, sums, sumsSha);
            ChunkCipher cipher = RunCipher.forFinishing(ctx, contract);
            if (cipher != null && cipher.signsManifest()) {
                // signed at the planned time: a resumed run re-sends the identical signature, as every file
                byte[] signature = cipher.manifestSignature(manifestBytes, run.plannedAt());
                Path asc = Files.write(files.resolve(OpenPgpSpec.MANIFEST_SIGNATURE), signature);
                delivery.deliverFile(run.id(), OpenPgpSpec.MANIFEST_SIGNATURE, asc, Hashing.sha256Hex(signature));
            }
            delivery.deliverFile(run.id(), Manifest.FILE_NAME, man, manifestSha);
        } catch (IOException e) {
            throw new RunFailure("cannot stage the manifest in " + files + ": " + e.getMessage(), e);
        }

        // a correction run carries the checkpoint's cursor and bound over unchanged (it scans no range); a full
        // export of a cursor contract (a re-sync) leaves one as its first run does
        boolean keepsCursor = run.mode() == RunMode.INCREMENTAL || run.mode() == RunMode.CORRECTION
                || contract.incremental();
        String cursor = !keepsCursor ? null : lastForward != null ? lastForward : run.cursorFrom();
        String upper = keepsCursor ? run.upperBound() : null;
        if (contract.capture().logical() && run.mode() != RunMode.CORRECTION) {
            // the next stream starts at the log position this run read up to (a copy's: the slot's consistent point)
            cursor = LogicalCapture.checkpoint(run);
            upper = run.upperBound();
        }
        String nextCursor = cursor;
        String nextUpper = upper;
        Instant horizon = indexHorizon(run, leadKind, lookback);
        long totalRows = rows;
        long totalBytes = bytes;
        ctx.store().updateDurably(c -> {
            Instant now = ctx.now();
            ctx.store().runs().complete(c, run.id(), totalRows, totalBytes, entries.size(), manifestSha, now);
            ctx.store().checkpoints().advance(c, new Checkpoint(contract.name(), nextCursor, nextUpper, run.sequence(),
                    run.id(), manifestSha, now), now);
            if (horizon != null) {
                ctx.store().lookbackIndex().prune(c, contract.name(), horizon);
            }
            ctx.store().audit().append(c, now, ctx.actor(), "run.complete", contract.name() + " run " + run.sequence(),
                    null, "{\"run_id\":\"" + run.id() + "\",\"rows\":" + totalRows + ",\"chunks\":" + entries.size()
                            + ",\"manifest_sha256\":\"" + manifestSha + "\"}");
        });
        LOG.info("run {} completed: {} row(s), {} chunk(s), checkpoint advanced", run.sequence(), totalRows,
                entries.size());
        if (contract.destination().policy().ackDeadline() != null) {
            // chunks delivered by an attempt that died before moving them aside
            chunks.forEach(ch -> staged.retain(staging.resolve(ch.fileName()), run.id()));
        }
        deleteRecursively(staging);
        return manifestSha;
    }

    /**
     * Issue 5: appends the run's chunks to the workspace ledger and delivers the signed checkpoint
     * and the proofs before SHA256SUMS and the manifest, so the manifest still comes last. Returns
     * their names and hashes, in the order SHA256SUMS lists them.
     */
    private Map<String, String> deliverLedger(RunRecord run, Contract contract, List<ChunkRecord> chunks, String manifestSha, long rows,
                               ChunkDelivery delivery, Path staging) throws IOException, RunFailure, InterruptedException {
        LedgerService.RunLedger sealed;
        try {
            sealed = ledger.appendRun(run, contract, chunks, manifestSha, rows);
        } catch (LedgerException e) {
            throw new RunFailure("ledger: " + e.getMessage(), e);
        }
        Path checkpoint = staging.resolve(LedgerProofs.CHECKPOINT_FILE_NAME);
        Path proofs = staging.resolve(LedgerProofs.FILE_NAME);
        Files.write(checkpoint, sealed.checkpointBytes());
        Files.write(proofs, sealed.proofs());
        String cpSha = Hashing.sha256Hex(sealed.checkpointBytes());
        String proofsSha = Hashing.sha256Hex(sealed.proofs());
        delivery.deliverFile(run.id(), LedgerProofs.CHECKPOINT_FILE_NAME, checkpoint, cpSha);
        delivery.deliverFile(run.id(), LedgerProofs.FILE_NAME, proofs, proofsSha);
        Map<String, String> files = new LinkedHashMap<>();
        files.put(LedgerProofs.CHECKPOINT_FILE_NAME, cpSha);
        files.put(LedgerProofs.FILE_NAME, proofsSha);
        return files;
    }

    /**
     * The notice of columns added since the partner's last completed run, when this run is the first
     * under the contract version(s) the engine created for them; null otherwise (and for a first run,
     * which has no earlier copy to differ from). Read from the store, so a repeat writes the same manifest.
     */
    private SchemaChangeNotice schemaNotice(RunRecord run) {
        RunRecord previous = ctx.store().inTransaction(c -> {
            Checkpoint cp = ctx.store().checkpoints().get(c, run.contractName());
            return cp.lastRunId() == null ? null : ctx.store().runs().find(c, cp.lastRunId()).orElse(null);
        });
        if (previous == null || previous.contractVersion() >= run.contractVersion()) {
            return null;
        }
        // said against the partner's last manifest, which may be older than the first engine-added version
        return AdditiveSchema.since(ctx, run.contractName(), previous.contractVersion(), run.contractVersion())
                .map(n -> new SchemaChangeNotice(previous.contractVersion(), previous.schemaFingerprint() != null
                        ? previous.schemaFingerprint() : n.previousSchemaFingerprint(), n.schemaFingerprint(),
                        n.addedColumns()))
                .orElse(null);
    }

    /** Index entries older than this can never be re-scanned again: upper bound − lookback. */
    static Instant indexHorizon(RunRecord run, ValueKind leadKind, Duration lookback) {
        if (leadKind == null || !leadKind.temporal() || lookback.isZero() || run.upperBound() == null) {
            return null;
        }
        Object upper = CursorCodec.decodeValue(run.upperBound());
        return upper == null ? null : CanonicalValues.instantOf(upper, leadKind).minus(lookback);
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var files = Files.walk(dir)) {
            files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // staging leftovers are harmless and are overwritten by the next attempt
                }
            });
        } catch (IOException ignored) {
            // as above
        }
    }
}
