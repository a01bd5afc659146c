package dev.exportdesk.engine.verification;

import dev.exportdesk.cdc.LogicalTable;
import dev.exportdesk.cdc.SlotPeek;
import dev.exportdesk.chunk.ChunkCipher;
import dev.exportdesk.chunk.DeliveryLayout;
import dev.exportdesk.chunk.RowMask;
import dev.exportdesk.contract.Contract;
import dev.exportdesk.contract.ContractCodec;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.engine.runs.CursorCapture;
import dev.exportdesk.engine.runs.LogicalCapture;
import dev.exportdesk.engine.runs.RunPlanner;
import dev.exportdesk.source.CanonicalValues;
import dev.exportdesk.source.CapturedRow;
import dev.exportdesk.source.CursorCodec;
import dev.exportdesk.source.RangeScan;
import dev.exportdesk.source.SourceSchema;
import dev.exportdesk.source.ValueKind;
import dev.exportdesk.store.Checkpoint;
import dev.exportdesk.store.ChunkRecord;
import dev.exportdesk.store.RunMode;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.ScanPhase;
import dev.exportdesk.transfer.DeliveryException;
import dev.exportdesk.transfer.Destination;
import dev.exportdesk.verify.ChunkClass;
import dev.exportdesk.verify.ChunkReconciliation;
import dev.exportdesk.verify.DeliveredKeys;
import dev.exportdesk.verify.RowDiff;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells ordinary drift from a finding. A row that changed after a chunk shipped it is not a
 * problem when a later completed run (or correction) of the contract delivered the row exactly as
 * it is now, or when the next increment will pick it up (its cursor is past the checkpoint, or
 * inside the late-data lookback window). Only what is left is a real difference.
 *
 * <p>"Delivered exactly as it is now" is checked on the delivered files themselves: a later chunk
 * whose cursor range can hold the row's current cursor (for a row that is gone: every correction
 * chunk and every chunk holding deletes, as a soft delete shipped before a purge) is streamed once
 * and must hold the key with the row's current hash (or a delete when it is gone). A
 * soft-deleted row's current encoding is its {@code _op: delete} record, so the run that delivered
 * the delete carries it.
 */
final class CarriedDrift {
    private static final Logger LOG = LoggerFactory.getLogger(CarriedDrift.class);
    static final String NEXT_INCREMENT = "the next increment";
    static final String WAITING_IN_SLOT = "the next stream run (its change is waiting in the slot)";
    /** How many waiting changes a verification reads from the slot at most. */
    private static final int PEEK_LIMIT = 1_000_000;

    private final EngineContext ctx;
    private final Contract contract;
    private final Map<Integer, Contract> versions = new HashMap<>();
    private final SourceSchema schema;
    private final RowMask mask;
    private final RowMask.Masker masker;
    /** Keys of rows reported under their pseudonym (MISSING, with pseudonymised key columns). */
    private final Set<String> pseudonyms = new HashSet<>();
    private final Connection source;
    private final Destination destination;
    private final RunRecord run;
    private final ValueKind leadKind;
    private final Duration lookback;
    private List<Later> later;
    private Checkpoint checkpoint;
    private SlotPeek.Pending waiting;
    /** This run's chunks, for a logical contract's later changes within the run. */
    private List<ChunkRecord> runChunks;

    /** A chunk of a later completed run, and whether it is a correction chunk (any cursor). */
    private record Later(RunRecord run, ChunkRecord chunk, boolean correction) {
    }

    /** What a differing row is now: its hash and ordering tuple, or gone. */
    private record Now(String sha256, Object[] tuple) {
        boolean gone() {
            return tuple == null;
        }
    }

    /** Opens later runs' delivered chunks (an encrypted one with our own key). */
    private final ChunkCipher.ContentReader content;

    CarriedDrift(EngineContext ctx, Contract contract, SourceSchema schema, RowMask mask, Connection source,
                 Destination destination, RunRecord run) {
        this.ctx = ctx;
        this.contract = contract;
        this.schema = schema;
        this.mask = mask;
        this.masker = mask.masker();
        this.source = source;
        this.destination = destination;
        this.run = run;
        this.leadKind = schema.leadingCursor() == null ? null : schema.leadingCursor().kind();
        this.lookback = contract.incremental() ? CursorCapture.effectiveLookback(contract, schema) : Duration.ZERO;
        this.content = ChunkCipher.reader(contract, ctx.secrets().openPgp(contract.partner()), ctx.scratch());
    }

    /** The reconciliation of {@code chunk} (of this run) with each carried difference marked, and re-classified. */
    ChunkReconciliation classify(ChunkRecord chunk, ChunkReconciliation r) {
        if (r.diffs().isEmpty() || r.classification() == ChunkClass.DELIVERY_MISMATCH
                || r.classification() == ChunkClass.SCHEMA_DRIFT) {
            return r;
        }
        Optional<RunRecord> replaced = later().stream().map(Later::run)
                .filter(l -> l.mode() == RunMode.FULL).findFirst();
        if (replaced.isPresent()) {
            // the partner replaced its copy with a later full export (a re-sync): this run's rows are history
            return supersededBy(r, "the full export of run #" + replaced.get().sequence());
        }
        Optional<String> truncated = truncatedAfter(chunk);
        if (truncated.isPresent()) {
            // the partner emptied its copy at a later TRUNCATE: what this chunk held there is gone by design
            return supersededBy(r, truncated.get());
        }
        Map<String, Now> now = new LinkedHashMap<>();
        Map<String, String> carried = new HashMap<>();
        for (RowDiff d : r.diffs()) {
            if (d.kind() == RowDiff.Kind.MISSING && !mask.keyKept()) {
                pseudonyms.add(d.key());
            }
            if (waitingInSlot(d.key())) {
                carried.put(d.key(), WAITING_IN_SLOT);
                continue;
            }
            CapturedRow row = d.kind() == RowDiff.Kind.MISSING ? null
                    : RangeScan.byKey(source, schema, CursorCodec.decode(d.key()));
            Now n = row == null ? new Now(null, null) : new Now(d.sourceSha256(), row.tuple(schema));
            if (!n.gone() && nextIncrementCarries(n.tuple())) {
                carried.put(d.key(), NEXT_INCREMENT);
            } else {
                now.put(d.key(), n);
            }
        }
        carried.putAll(carriedByLaterRuns(chunk, now));
        List<RowDiff> marked = new ArrayList<>();
        for (RowDiff d : r.diffs()) {
            String by = carried.get(d.key());
            marked.add(by == null ? d : d.carried(by));
        }
        long open = marked.stream().filter(RowDiff::open).count();
        String detail = open == marked.size() ? r.detail() + slotNote()
                : r.detail() + "; " + (marked.size() - open) + " of " + marked.size() + " differing row(s) carried by "
                + String.join(", ", marked.stream().filter(d -> !d.open()).map(RowDiff::carriedBy).distinct().toList());
        return new ChunkReconciliation(ChunkClass.of(marked), r.sourceRows(), r.sourceDigest(), marked, r.rowsRead(),
                detail);
    }

    private static ChunkReconciliation supersededBy(ChunkReconciliation r, String by) {
        List<RowDiff> marked = r.diffs().stream().map(d -> d.carried(by)).toList();
        return new ChunkReconciliation(ChunkClass.of(marked), r.sourceRows(), r.sourceDigest(), marked,
                r.rowsRead(), r.detail() + "; every differing row is replaced by " + by);
    }

    /**
     * The first truncate-first chunk delivered after {@code chunk}: later in this run, or in a later
     * completed run. Differences in this chunk cannot be differences at the partner after it.
     */
    private Optional<String> truncatedAfter(ChunkRecord chunk) {
        if (!contract.capture().logical()) {
            return Optional.empty();
        }
        Optional<ChunkRecord> same = thisRun().stream()
                .filter(ch -> ch.truncateFirst() && ch.seq() > chunk.seq())
                .findFirst();
        if (same.isPresent()) {
            return Optional.of("the TRUNCATE before " + same.get().fileName() + " of run #" + run.sequence());
        }
        return later().stream().filter(l -> l.chunk().truncateFirst()).findFirst()
                .map(l -> "the TRUNCATE before " + l.chunk().fileName() + " of run #" + l.run().sequence());
    }

    private List<ChunkRecord> thisRun() {
        if (runChunks == null) {
            runChunks = ctx.store().inTransaction(c -> ctx.store().chunks().forRun(c, run.id()));
        }
        return runChunks;
    }

    /**
     * A logical contract's row whose change (or a TRUNCATE of the table) was committed after the last
     * delivered position and waits in the slot: the next stream run ships it, so it is no loss.
     */
    private boolean waitingInSlot(String key) {
        if (!contract.capture().logical() || !mask.keyKept()) {
            return false; // a pseudonymised key is not the source's: it cannot be matched, so it stays a finding
        }
        if (waiting == null) {
            waiting = peek();
        }
        return waiting.truncate() || waiting.keys().contains(key);
    }

    private SlotPeek.Pending peek() {
        Checkpoint cp = checkpoint();
        if (cp.cursorValue() == null || !LogicalCapture.isPosition(cp.cursorValue())) {
            return new SlotPeek.Pending(Set.of(), false, true, null); // no stream yet: nothing waits
        }
        boolean allColumns = contract.columns() == null || contract.columns().isEmpty();
        try {
            SlotPeek.Pending p = SlotPeek.waiting(source, contract.capture().slot(), contract.capture().publication(),
                    LogicalTable.resolve(source, schema, allColumns), schema.keyIndexes(),
                    LogicalCapture.position(cp.cursorValue()), PEEK_LIMIT);
            if (p.problem() != null) {
                LOG.warn("the changes waiting in slot {} could not be read: {}", contract.capture().slot(), p.problem());
            }
            return p;
        } catch (RuntimeException e) {
            LOG.warn("the changes waiting in slot {} could not be read: {}", contract.capture().slot(), e.toString());
            return new SlotPeek.Pending(Set.of(), false, false, e.getMessage());
        }
    }

    /** Why open differences of a logical contract were not checked against the slot, if they were not. */
    private String slotNote() {
        if (waiting == null || waiting.complete()) {
            return "";
        }
        return waiting.problem() != null ? "; the changes waiting in the slot could not be read, so a change on its "
                + "way is not told from a lost one (" + waiting.problem() + ")"
                : "; more changes wait in the slot than one verification reads: only the first were told from lost ones";
    }

    /** Past the checkpoint, or inside the lookback window the next run re-scans. */
    private boolean nextIncrementCarries(Object[] tuple) {
        if (!contract.incremental() || leadKind == null || tuple[0] == null) {
            return false;
        }
        Checkpoint cp = checkpoint();
        if (cp.cursorValue() == null) {
            return true; // nothing delivered by the forward scan yet: the next run reads everything
        }
        Object[] cursor = CursorCodec.decode(cp.cursorValue());
        Integer cmp = compare(tuple[0], cursor[0]);
        if (cmp != null && cmp > 0) {
            return true;
        }
        if (!lookback.isZero() && leadKind.temporal() && cp.upperBound() != null) {
            Object upper = CursorCodec.decodeValue(cp.upperBound());
            Instant from = CanonicalValues.instantOf(upper, leadKind).minus(lookback);
            return !CanonicalValues.instantOf(tuple[0], leadKind).isBefore(from);
        }
        return false;
    }

    /**
     * For each key, the first later delivered chunk that holds the row exactly as it is now: of a later
     * run, or of a logical contract's same run after {@code chunk} (a row changed by two of the run's
     * transactions that fell into different chunks).
     */
    private Map<String, String> carriedByLaterRuns(ChunkRecord chunk, Map<String, Now> now) {
        Map<String, String> out = new HashMap<>();
        if (now.isEmpty()) {
            return out;
        }
        List<Later> candidates = new ArrayList<>();
        if (contract.capture().logical()) {
            thisRun().stream().filter(ch -> ch.seq() > chunk.seq()).forEach(ch -> candidates.add(new Later(run, ch,
                    false)));
        }
        candidates.addAll(later());
        for (Later l : candidates) {
            Map<String, String> wanted = new HashMap<>(); // as delivered (a pseudonymised key) -> as in the diff
            now.forEach((key, n) -> {
                if (!out.containsKey(key) && (l.correction()
                        || (n.gone() ? l.chunk().deleteCount() > 0 : mayHold(l.chunk(), n.tuple())))) {
                    wanted.put(delivered(key), key);
                }
            });
            if (wanted.isEmpty()) {
                continue;
            }
            String path = folder(l.run()) + "/" + l.chunk().fileName();
            try (InputStream in = content.open(destination.open(path))) {
                DeliveredKeys.find(in, contract.fileFormat(), mask.delivered(), wanted.keySet()).forEach((shipped, found) -> {
                    String key = wanted.get(shipped);
                    Now n = now.get(key);
                    // a row still in the source is carried by a record hashing as it encodes now; the hash
                    // covers the operation, so a soft-deleted row is carried by its delete record
                    if (n.gone() ? found.delete() : found.sha256().equals(n.sha256())) {
                        out.put(key, l.run() == run ? l.chunk().fileName() + " of this run"
                                : "run #" + l.run().sequence());
                    }
                });
            } catch (IOException | DeliveryException | RuntimeException e) {
                // a later delivery that cannot be read proves nothing: the difference stays a finding
                LOG.warn("cannot read {} to see whether it carries drifted rows: {}", path, e.toString());
            }
        }
        return out;
    }

    /**
     * A diff's key as the partner received it: the source's key through the mask. A MISSING row's key
     * under a pseudonymised key is the pseudonym already (the source reconciler could not look it up).
     */
    private String delivered(String key) {
        return mask.keyKept() || pseudonyms.contains(key) ? key
                : CursorCodec.encode(masker.key(CursorCodec.decode(key)));
    }

    /** Whether the chunk's cursor range can hold the leading cursor value (unknown order: yes). */
    private boolean mayHold(ChunkRecord ch, Object[] tuple) {
        if (ch.scanPhase() == ScanPhase.STREAM) {
            return true; // changes from the log, by commit position: any key may be in it
        }
        if (ch.cursorFrom() == null || ch.cursorTo() == null) {
            return false;
        }
        Integer lo = compare(CursorCodec.decode(ch.cursorFrom())[0], tuple[0]);
        Integer hi = compare(tuple[0], CursorCodec.decode(ch.cursorTo())[0]);
        return (lo == null || lo <= 0) && (hi == null || hi <= 0);
    }

    /** Order of two leading-cursor values, or null where Java cannot know the database's order (text). */
    private Integer compare(Object a, Object b) {
        if (a == null || b == null || leadKind == null) {
            return null;
        }
        if (leadKind.temporal()) {
            return CanonicalValues.instantOf(a, leadKind).compareTo(CanonicalValues.instantOf(b, leadKind));
        }
        if (leadKind == ValueKind.INTEGER || leadKind == ValueKind.DECIMAL) {
            return new BigDecimal(a.toString()).compareTo(new BigDecimal(b.toString()));
        }
        return null;
    }

    /**
     * A later run's folder, under the template of the version it ran with (a later version may have
     * moved new runs elsewhere; the store's bodies are parsed as they were accepted).
     */
    private String folder(RunRecord r) {
        Contract used = r.contractVersion() == run.contractVersion() ? contract
                : versions.computeIfAbsent(r.contractVersion(), v -> ContractCodec.parse(ctx.store().inTransaction(
                        c -> ctx.store().contracts().version(c, r.contractName(), v)).orElseThrow(
                        () -> new IllegalStateException("contract " + r.contractName() + " has no version " + v))
                        .body(), r.contractName() + " version " + v));
        return DeliveryLayout.runDirectory(used, r.contractVersion(), r.sequence(), r.plannedAt());
    }

    private Checkpoint checkpoint() {
        if (checkpoint == null) {
            checkpoint = ctx.store().inTransaction(c -> ctx.store().checkpoints().get(c, contract.name()));
        }
        return checkpoint;
    }

    private List<Later> later() {
        if (later == null) {
            later = ctx.store().inTransaction(c -> {
                List<Later> out = new ArrayList<>();
                for (RunRecord r : ctx.store().runs().completedInOrder(c, contract.name())) {
                    if (r.sequence() <= run.sequence()) {
                        continue;
                    }
                    Set<Integer> corrections = new HashSet<>();
                    ctx.store().corrections().forRun(c, r.id()).forEach(x -> corrections.add(x.chunkSeq()));
                    for (ChunkRecord ch : ctx.store().chunks().forRun(c, r.id())) {
                        out.add(new Later(r, ch, corrections.contains(ch.seq())));
                    }
                }
                return out;
            });
        }
        return later;
    }
}
