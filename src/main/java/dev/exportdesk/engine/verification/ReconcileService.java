package dev.exportdesk.engine.verification;

import dev.exportdesk.chunk.ChunkCipher;
import dev.exportdesk.chunk.EncryptedChunkException;
import dev.exportdesk.chunk.DeliveryLayout;
import dev.exportdesk.chunk.RowMask;
import dev.exportdesk.contract.Contract;
import dev.exportdesk.contract.SchemaChangePolicy;
import dev.exportdesk.engine.ContractService;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.engine.runs.RunPlanner;
import dev.exportdesk.source.ColumnInfo;
import dev.exportdesk.source.CursorCodec;
import dev.exportdesk.source.SchemaInspector;
import dev.exportdesk.source.SchemaMismatchException;
import dev.exportdesk.source.SourceException;
import dev.exportdesk.source.SchemaGrowth;
import dev.exportdesk.source.SourceSchema;
import dev.exportdesk.source.SqlChunkDigests;
import dev.exportdesk.source.SqlRangeDigest;
import dev.exportdesk.store.ChunkRecord;
import dev.exportdesk.store.ReconciliationRepository.ChunkResult;
import dev.exportdesk.store.ReconciliationRepository.DriftRow;
import dev.exportdesk.store.ReconciliationRepository.Pass;
import dev.exportdesk.store.ReconciliationRepository;
import dev.exportdesk.store.RunMode;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.ScanPhase;
import dev.exportdesk.transfer.DeliveryException;
import dev.exportdesk.transfer.Destination;
import dev.exportdesk.verify.Check;
import dev.exportdesk.verify.ChunkClass;
import dev.exportdesk.verify.ChunkReconciliation;
import dev.exportdesk.verify.DeliveryReport;
import dev.exportdesk.verify.GapScan;
import dev.exportdesk.verify.KeyedReconciler;
import dev.exportdesk.verify.RowDiff;
import dev.exportdesk.verify.SourceReconciler;
import dev.exportdesk.verify.VerifySteps;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Source- and schema-level reconciliation of a completed run (`verify --deep`), after the
 * delivery-level check: each chunk is re-read from the source and classified, differing keys are
 * found by bisection, and the whole pass is kept as drift history.
 */
public final class ReconcileService {
    private static final Logger LOG = LoggerFactory.getLogger(ReconcileService.class);
    private static final int PARALLEL = 2;
    private final EngineContext ctx;
    private final SchemaInspector inspector = new SchemaInspector();

    ReconcileService(EngineContext ctx) {
        this.ctx = ctx;
    }

    /** One chunk's outcome in a pass. */
    public record ChunkOutcome(ChunkRecord chunk, ChunkReconciliation result) {
    }

    /** A recorded pass over one run. */
    public record RunReconciliation(long verificationId, RunRecord run, String schemaOutcome,
                                    List<ChunkOutcome> chunks) {
        public boolean clean() {
            return "match".equals(schemaOutcome)
                    && chunks.stream().allMatch(c -> c.result().classification().passes());
        }
    }

    /** {@code steps}: told of each chunk compared; may stop the pass between chunks and bisection steps. */
    RunReconciliation reconcile(RunRecord run, ContractService.LoadedContract loaded, Destination destination,
                                DeliveryReport delivery, VerifySteps steps) {
        Instant started = ctx.now();
        Contract contract = loaded.contract();
        List<ChunkRecord> chunks = ctx.store().inTransaction(c -> ctx.store().chunks().forRun(c, run.id()));
        List<ChunkOutcome> outcomes = new ArrayList<>();
        String schemaOutcome;
        try (Connection source = ctx.sources().open(contract.source())) {
            SourceSchema schema = null;
            String expected = run.schemaFingerprint() != null ? run.schemaFingerprint()
                    : loaded.version().schemaFingerprint();
            try {
                schema = inspector.inspect(source, contract);
                Optional<SchemaGrowth> grown = expected == null || expected.equals(schema.fingerprint())
                        || contract.schemaChange() != SchemaChangePolicy.ADDITIVE ? Optional.empty()
                        : SchemaGrowth.of(schema, expected).filter(g -> g.notNull().isEmpty());
                // a run delivered before the table grew under the additive policy is compared on its own columns,
                // which are still there unchanged
                schema = grown.map(SchemaGrowth::before).orElse(schema);
                schemaOutcome = expected == null || expected.equals(schema.fingerprint()) ? "match" : "drift";
            } catch (SchemaMismatchException e) {
                schemaOutcome = "drift";
            }
            String runDirectory = DeliveryLayout.runDirectory(contract, run.contractVersion(), run.sequence(),
                    run.plannedAt());
            // the source's whole-chunk digests are one statement per group: a cancel waits for them
            steps.chunksDone(0, chunks.size());
            boolean byKey = run.mode() == RunMode.CORRECTION
                    || chunks.stream().anyMatch(ch -> ch.scanPhase() == ScanPhase.STREAM);
            // the source side masked exactly as the capture masked it, with the partner's key
            RowMask mask = schema == null ? null : RowMask.of(contract, schema, ctx.secrets().masking(contract.partner()));
            Map<Integer, SqlRangeDigest.Digest> precomputed = "match".equals(schemaOutcome) && !byKey
                    && mask.identity() && SqlRangeDigest.supported(source, schema)
                    ? digestsInParallel(contract, schema, chunks) : Map.of();
            CarriedDrift carried = schema == null ? null
                    : new CarriedDrift(ctx, contract, schema, mask, source, destination, run);
            Map<Integer, Object[]> gaps = ChunkGaps.starts(run, chunks,
                    ctx.store().inTransaction(c -> ctx.store().segments().forRun(c, run.id())));
            for (ChunkRecord ch : chunks) {
                ChunkReconciliation r = reconcileChunk(run, contract, source, schema, mask, schemaOutcome,
                        destination, runDirectory, ch, delivery, precomputed.get(ch.seq()), gaps, steps);
                outcomes.add(new ChunkOutcome(ch, carried == null ? r : carried.classify(ch, r)));
                steps.chunksDone(outcomes.size(), chunks.size());
            }
        } catch (SQLException e) {
            throw new SourceException("source: " + e.getMessage(), e);
        }
        long id = record(run, started, schemaOutcome, outcomes);
        return new RunReconciliation(id, run, schemaOutcome, outcomes);
    }

    /**
     * Whole-chunk digests computed by the source: the run's chunks are cut into {@link #PARALLEL}
     * contiguous groups of about equal row counts, and each group is digested by one statement
     * ({@link SqlChunkDigests}) on its own connection (PostgreSQL builds the lines and this JVM hashes
     * them; a lone connection would leave the other cores idle). Failures just leave chunks to be digested on the main connection.
     */
    private Map<Integer, SqlRangeDigest.Digest> digestsInParallel(Contract contract, SourceSchema schema,
                                                                  List<ChunkRecord> chunks) {
        Map<Integer, SqlRangeDigest.Digest> out = new ConcurrentHashMap<>();
        if (chunks.size() < 2) {
            return out;
        }
        List<String> names = schema.columns().stream().map(ColumnInfo::outputName).toList();
        List<List<ChunkRecord>> groups = balanced(chunks, PARALLEL);
        ExecutorService pool = Executors.newFixedThreadPool(groups.size(), r -> {
            Thread t = new Thread(r, "reconcile-digest");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (List<ChunkRecord> group : groups) {
                futures.add(pool.submit(() -> {
                    List<SqlChunkDigests.Range> ranges = group.stream().map(ch -> new SqlChunkDigests.Range(ch.seq(),
                            CursorCodec.decode(ch.cursorFrom()), CursorCodec.decode(ch.cursorTo()))).toList();
                    try (Connection c = ctx.sources().open(contract.source())) {
                        out.putAll(SqlChunkDigests.digests(c, schema, names, ranges));
                    } catch (SQLException | RuntimeException e) {
                        LOG.debug("digests of chunks {}..{} failed; digesting them serially: {}", group.get(0).seq(),
                                group.get(group.size() - 1).seq(), e.toString());
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.debug("parallel digests incomplete: {}", e.toString());
        } finally {
            pool.shutdownNow();
        }
        return out;
    }

    /** Chunks (in order) cut into at most {@code n} contiguous groups of about equal row counts. */
    public static List<List<ChunkRecord>> balanced(List<ChunkRecord> chunks, int n) {
        long total = chunks.stream().mapToLong(ChunkRecord::rowCount).sum();
        List<List<ChunkRecord>> groups = new ArrayList<>();
        List<ChunkRecord> current = new ArrayList<>();
        long done = 0;
        for (ChunkRecord ch : chunks) {
            current.add(ch);
            done += ch.rowCount();
            if (groups.size() < n - 1 && done * n >= total * (groups.size() + 1)) {
                groups.add(current);
                current = new ArrayList<>();
            }
        }
        if (!current.isEmpty()) {
            groups.add(current);
        }
        return groups;
    }

    private static SourceReconciler.ShippedChunk shipped(ChunkRecord ch, String digest) {
        return new SourceReconciler.ShippedChunk(ch.fileName(), ch.rowCount(), CursorCodec.decode(ch.cursorFrom()),
                CursorCodec.decode(ch.cursorTo()), digest);
    }

    private ChunkReconciliation reconcileChunk(RunRecord run, Contract contract, Connection source,
                                               SourceSchema schema, RowMask mask, String schemaOutcome,
                                               Destination destination,
                                               String runDirectory, ChunkRecord ch, DeliveryReport delivery,
                                               SqlRangeDigest.Digest known, Map<Integer, Object[]> gaps,
                                               VerifySteps steps) {
        Optional<Check> failed = delivery.failures().stream().filter(f -> f.subject().equals(ch.fileName()))
                .findFirst();
        if (failed.isPresent()) {
            return new ChunkReconciliation(ChunkClass.DELIVERY_MISMATCH, 0, null, List.of(), 0,
                    failed.get().detail());
        }
        if (!"match".equals(schemaOutcome)) {
            return new ChunkReconciliation(ChunkClass.SCHEMA_DRIFT, 0, null, List.of(), 0,
                    "the source schema no longer matches the contract; rows not compared");
        }
        String digest = ctx.store().inTransaction(c -> ctx.store().reconciliations().rowDigest(c, run.id(), ch.seq()))
                .orElse(null);
        SourceReconciler reconciler = new SourceReconciler(source, schema, contract.fileFormat(), mask,
                contract.fetchSize(), steps);
        String path = runDirectory + "/" + ch.fileName();
        // an encrypted chunk is read with our own key; only what differs from its sealed digest is read at all
        ChunkCipher.ContentReader content = ChunkCipher.reader(contract, ctx.secrets().openPgp(contract.partner()),
                ctx.scratch());
        try {
            // a correction's chunks are keys, a stream run's are changes from the log: each row against the source by key
            if (run.mode() == RunMode.CORRECTION || ch.scanPhase() == ScanPhase.STREAM) {
                try (InputStream in = content.open(destination.open(path))) {
                    List<String> keys = !mask.keyKept() && run.mode() == RunMode.CORRECTION
                            ? ctx.store().inTransaction(c -> ctx.store().corrections().keys(c, run.id(), ch.seq()))
                                    .stream().map(k -> k.rowKey()).toList()
                            : null;
                    return KeyedReconciler.reconcile(source, schema, contract.fileFormat(), mask, in, keys);
                } catch (DeliveryException e) {
                    throw new IOException(e.getMessage(), e);
                }
            }
            ChunkReconciliation r = reconciler.reconcile(shipped(ch, digest), () -> {
                        try {
                            return content.open(destination.open(path));
                        } catch (DeliveryException e) {
                            throw new IOException(e.getMessage(), e);
                        }
                    }, known);
            if (gaps.containsKey(ch.seq())) {
                r = withGap(r, GapScan.between(source, schema, contract.fileFormat(), mask, gaps.get(ch.seq()),
                        CursorCodec.decode(ch.cursorFrom()), contract.fetchSize(), SourceReconciler.LIST_BELOW));
            }
            // a run with a lookback re-scan may hold lookback rows in any chunk (a chunk can span both scans)
            boolean lookback = run.lookbackFrom() != null || ch.scanPhase() == ScanPhase.LOOKBACK;
            return lookback ? withoutReshippedRows(contract, r) : r;
        } catch (EncryptedChunkException e) {
            return new ChunkReconciliation(ChunkClass.DRIFT, 0, null, List.of(), 0, "the source differs from what "
                    + "was sealed; which rows cannot be told: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("reading delivered chunk " + path + ": " + e.getMessage(), e);
        }
    }

    /** Rows now in the gap before the chunk are late arrivals of this chunk's run. */
    private static ChunkReconciliation withGap(ChunkReconciliation r, GapScan.Gap gap) {
        if (gap.count() == 0) {
            return r;
        }
        List<RowDiff> all = new ArrayList<>(r.diffs());
        all.addAll(gap.rows());
        String listed = gap.rows().size() < gap.count() ? " (first " + gap.rows().size() + " listed)" : "";
        return new ChunkReconciliation(ChunkClass.of(all), r.sourceRows(), r.sourceDigest(), all,
                r.rowsRead() + gap.count(), r.detail() + "; " + gap.count() + " row(s) now in the gap before this "
                + "chunk's range" + listed);
    }

    /**
     * A lookback chunk's range also holds rows the lookback skipped because an earlier chunk had
     * shipped them unchanged; those are not late arrivals when the shipped-row index still knows them.
     */
    private ChunkReconciliation withoutReshippedRows(Contract contract, ChunkReconciliation r) {
        Set<String> candidates = new HashSet<>();
        for (RowDiff d : r.diffs()) {
            if (d.kind() == RowDiff.Kind.EXTRA && d.sourceSha256() != null) {
                candidates.add(d.sourceSha256());
            }
        }
        Set<String> shipped = candidates.isEmpty() ? Set.of() : ctx.store().inTransaction(c ->
                ctx.store().lookbackIndex().shippedAmong(c, contract.name(), candidates));
        List<RowDiff> kept = new ArrayList<>();
        for (RowDiff d : r.diffs()) {
            if (d.kind() != RowDiff.Kind.EXTRA || d.sourceSha256() == null || !shipped.contains(d.sourceSha256())) {
                kept.add(d);
            }
        }
        int reshipped = r.diffs().size() - kept.size();
        return new ChunkReconciliation(ChunkClass.of(kept), r.sourceRows(), r.sourceDigest(), kept, r.rowsRead(),
                reshipped == 0 ? r.detail() : r.detail() + "; " + reshipped + " row(s) in the lookback window were "
                        + "shipped unchanged by an earlier run");
    }

    private long record(RunRecord run, Instant started, String schemaOutcome, List<ChunkOutcome> outcomes) {
        long changed = 0;
        long missing = 0;
        long extra = 0;
        int mismatches = 0;
        for (ChunkOutcome o : outcomes) {
            changed += o.result().count(RowDiff.Kind.CHANGED);
            missing += o.result().count(RowDiff.Kind.MISSING);
            extra += o.result().count(RowDiff.Kind.EXTRA);
            if (!o.result().classification().passes()) {
                mismatches++;
            }
        }
        boolean clean = mismatches == 0 && "match".equals(schemaOutcome);
        String summary = (clean ? "match" : "mismatch") + ": changed " + changed + ", missing " + missing + ", late "
                + extra + ", schema " + schemaOutcome;
        Long lag = run.finishedAt() == null ? null : Duration.between(run.plannedAt(), run.finishedAt()).toMillis();
        Pass pass = new Pass(0, run.contractName(), run.id(), "deep", clean ? "match" : "mismatch", schemaOutcome,
                outcomes.size(), run.rowCount(), changed, missing, extra, mismatches, lag, started, ctx.now());
        return ctx.store().inDurableTransaction(c -> {
            ReconciliationRepository repo = ctx.store().reconciliations();
            long id = repo.addPass(c, pass);
            for (ChunkOutcome o : outcomes) {
                ChunkReconciliation r = o.result();
                String shippedDigest = repo.rowDigest(c, run.id(), o.chunk().seq()).orElse(null);
                repo.addChunk(c, new ChunkResult(id, run.id(), o.chunk().seq(), o.chunk().fileName(),
                        r.classification().name(), o.chunk().rowCount(), r.sourceDigest() == null ? null
                        : r.sourceRows(), shippedDigest, r.sourceDigest(), r.count(RowDiff.Kind.CHANGED),
                        r.count(RowDiff.Kind.MISSING), r.count(RowDiff.Kind.EXTRA), r.detail()));
                for (RowDiff d : r.diffs()) {
                    repo.addDriftRow(c, new DriftRow(id, run.id(), o.chunk().seq(), d.key(), d.kind().name(),
                            d.carriedBy()));
                }
            }
            ctx.store().audit().append(c, ctx.now(), ctx.actor(), "run.reconcile", run.contractName() + " run "
                    + run.sequence(), null, summary);
            return id;
        });
    }
}
