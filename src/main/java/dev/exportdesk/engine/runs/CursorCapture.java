package dev.exportdesk.engine.runs;

import dev.exportdesk.chunk.DeliveryLayout;
import dev.exportdesk.contract.Contract;
import dev.exportdesk.contract.SchemaChangePolicy;
import dev.exportdesk.engine.ContractService;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.engine.EngineException;
import dev.exportdesk.engine.ProgressListener;
import dev.exportdesk.engine.delivery.DeliveryPool;
import dev.exportdesk.engine.delivery.EngineDestinations;
import dev.exportdesk.engine.delivery.RunFailure;
import dev.exportdesk.source.CanonicalValues;
import dev.exportdesk.source.ColumnInfo;
import dev.exportdesk.source.CursorCodec;
import dev.exportdesk.source.ScanRange;
import dev.exportdesk.source.SchemaColumns;
import dev.exportdesk.source.SchemaGrowth;
import dev.exportdesk.source.SchemaInspector;
import dev.exportdesk.source.SchemaMismatchException;
import dev.exportdesk.source.SourceClock;
import dev.exportdesk.source.SourceException;
import dev.exportdesk.source.SourceSchema;
import dev.exportdesk.source.ValueKind;
import dev.exportdesk.store.Checkpoint;
import dev.exportdesk.store.Lease;
import dev.exportdesk.store.LeaseLostException;
import dev.exportdesk.store.RunMode;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.RunState;
import dev.exportdesk.store.SegmentRow;
import dev.exportdesk.store.SegmentState;
import dev.exportdesk.store.StoreException;
import dev.exportdesk.transfer.Destination;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an export run captures ({@link RunProtocol}): checks the source schema and fixes the run's
 * bounds once, delivers chunks sealed by an earlier attempt, and captures the rest in (cursor, key)
 * order — first the late-data lookback, then forward — sealing and delivering chunk by chunk. A full
 * export or first export that workers share is split into key ranges ({@link BackfillSplit}), each
 * captured by the same loop under a claim of its own.
 */
public final class CursorCapture implements RunProtocol.CaptureSource {
    private static final Logger LOG = LoggerFactory.getLogger(CursorCapture.class);

    private final EngineContext ctx;
    private final ContractService contracts;
    private final SchemaInspector inspector = new SchemaInspector();
    /** A worker's claims on key ranges of split runs; null outside a worker, where runs are never split. */
    private final SegmentWork segments;

    public CursorCapture(EngineContext ctx, ContractService contracts, SegmentWork segments) {
        this.ctx = ctx;
        this.contracts = contracts;
        this.segments = segments;
    }

    @Override
    public RunRecord rebind(RunRecord planned) {
        return rebindAfterDrift(planned);
    }

    @Override
    public Optional<RunProtocol.Prepared> prepare(RunRecord planned, ContractService.LoadedContract loaded,
                                                  Connection source) {
        SourceSchema schema = checkSchema(planned, loaded, source);
        if (schema == null) {
            return Optional.empty();
        }
        Contract contract = loaded.contract();
        // reloaded: an additive schema change may have moved the run to a new contract version
        RunRecord run = fixBounds(reload(planned.id()), contract, schema, source);
        LOG.info("source schema {}; bounds: after {} up to {}{}", shortHash(schema.fingerprint()),
                run.cursorFrom() == null ? "the start" : run.cursorFrom(), run.upperBound(),
                run.lookbackFrom() == null ? "" : ", lookback from " + run.lookbackFrom());
        return Optional.of(new RunProtocol.Prepared(run, schema, effectiveLookback(contract, schema)));
    }

    @Override
    public void capture(RunProtocol.Prepared p, Contract contract, Connection source, DeliveryPool delivery,
                        Path staging, ProgressListener listener) throws RunFailure, InterruptedException {
        if (segments != null && BackfillSplit.splitOrResume(ctx, p.run(), contract, p.schema(), source)) {
            new SplitCapture(ctx, this, segments).await(p.run(), contract, listener);
        } else {
            new CaptureLoop(ctx, p.run(), contract, p.schema(), source, delivery, staging, p.lookback(), listener, 0,
                    null).run();
        }
    }

    /**
     * Captures one key range of a split run under {@code lease}, a worker's claim on it, and ends the
     * claim: CAPTURED once every chunk of the range is sealed and delivered, FAILED with the error,
     * or OPEN again for another worker when the capture was stopped from outside — which is then
     * rethrown, so that the run's own worker stops the run as well. HELD: the claim was lost to another
     * worker, and nothing more was written.
     */
    public SegmentState runSegment(Lease lease, ProgressListener listener) {
        ProgressListener guarded = p -> {
            java.util.Optional<String> why = segments.stopReason(lease);
            if (why.isPresent()) {
                throw new CaptureStopped(why.get());
            }
            listener.onProgress(p);
        };
        String error;
        try {
            captureSegment(lease, guarded);
            return segments.finish(lease, SegmentState.CAPTURED, null) ? SegmentState.CAPTURED : SegmentState.HELD;
        } catch (LeaseLostException e) {
            segments.forget(lease);
            return SegmentState.HELD;
        } catch (CaptureStopped e) {
            finishQuietly(lease, SegmentState.OPEN, null);
            if (segments.stopReason(lease).isEmpty()) {
                throw e;
            }
            return SegmentState.OPEN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        } catch (RunFailure | SourceException | StoreException | UncheckedIOException | EngineException e) {
            error = e.getMessage();
        } catch (SQLException e) {
            error = "source: " + e.getMessage();
        }
        // a claim lost meanwhile (its session ended by the store while the worker was frozen, say) is not a
        // failure of the range: the worker that took it over goes on
        if (!finishQuietly(lease, SegmentState.FAILED, error)) {
            return SegmentState.HELD;
        }
        LOG.warn("key range {} of run {} failed: {}", lease.segment(), lease.runId(), error);
        return SegmentState.FAILED;
    }

    /** False when the claim was lost to another worker, so nothing was recorded. */
    private boolean finishQuietly(Lease lease, SegmentState to, String error) {
        try {
            segments.finish(lease, to, error);
            return true;
        } catch (LeaseLostException e) {
            LOG.info("key range {} of run {}: {}", lease.segment(), lease.runId(), e.getMessage());
            return false;
        } catch (StoreException e) {
            LOG.warn("could not record key range {} of run {} as {}: {}", lease.segment(), lease.runId(), to,
                    e.getMessage());
            return true;
        }
    }

    private void captureSegment(Lease lease, ProgressListener listener)
            throws RunFailure, InterruptedException, SQLException {
        EngineContext cx = ctx.withStore(ctx.store().fenced(lease));
        RunRecord run = reload(lease.runId());
        SegmentRow range = cx.store().inTransaction(c -> cx.store().segments().forRun(c, run.id())).stream()
                .filter(s -> s.segment() == lease.segment()).findFirst()
                .orElseThrow(() -> new RunFailure("key range " + lease.segment() + " of run " + run.id() + " is unknown"));
        Contract contract = contracts.load(run.contractName(), run.contractVersion()).contract();
        String runDirectory = DeliveryLayout.runDirectory(contract, run.contractVersion(), run.sequence(), run.plannedAt());
        Path staging = ctx.stagingDir().resolve(run.id());
        LOG.info("capturing key range {} of run {} ({} #{}), epoch {}", lease.segment(), run.id(), contract.name(),
                run.sequence(), lease.epoch());
        try (Destination destination = EngineDestinations.open(cx, contract.destination());
             Connection source = cx.sources().open(contract.source());
             DeliveryPool delivery = new DeliveryPool(cx, contract, destination, runDirectory, staging)) {
            SourceSchema schema;
            try {
                schema = inspector.inspect(source, contract);
            } catch (SchemaMismatchException e) {
                throw new RunFailure(e.getMessage(), e);
            }
            if (!schema.fingerprint().equals(run.schemaFingerprint())) {
                // the run's columns were fixed before it was split: an additive change waits for the next run
                Optional<SchemaGrowth> growth = contract.schemaChange() == SchemaChangePolicy.ADDITIVE
                        ? SchemaGrowth.of(schema, run.schemaFingerprint()) : Optional.empty();
                if (!AdditiveSchema.takeable(growth)) {
                    throw new RunFailure("schema drift: the source's columns changed since the run was split "
                            + "(columns now: " + describe(schema) + "); the run stops and is resumed as any drifted run");
                }
                schema = growth.get().before();
            }
            ScanRange forward = CaptureRanges.of(contract, run).forward();
            ScanRange scan = new ScanRange(tuple(range.afterTuple()), null, tuple(range.upToTuple()),
                    forward.leadingTo());
            new CaptureLoop(cx, run, contract, schema, source, delivery, staging, effectiveLookback(contract, schema),
                    listener, lease.segment(), scan).run();
        }
    }

    private static Object[] tuple(String encoded) {
        return encoded == null ? null : CursorCodec.decode(encoded);
    }

    /** A run stopped by schema drift, with nothing sealed, moves to the contract's newest version. */
    private RunRecord rebindAfterDrift(RunRecord run) {
        if (run.state() != RunState.SCHEMA_DRIFT) {
            return run;
        }
        return ctx.store().inTransaction(c -> {
            boolean anySealed = ctx.store().chunks().forRun(c, run.id()).stream().anyMatch(ch -> ch.state().sealed());
            int current = ctx.store().contracts().find(c, run.contractName()).orElseThrow().currentVersion();
            if (!anySealed && current != run.contractVersion()) {
                ctx.store().runs().rebind(c, run.id(), current, null);
                ctx.store().audit().append(c, ctx.now(), ctx.actor(), "run.rebind", run.contractName() + " run "
                        + run.sequence(), "v" + run.contractVersion(), "v" + current);
            }
            return ctx.store().runs().find(c, run.id()).orElseThrow();
        });
    }

    /** Returns the schema, or null after marking the run SCHEMA_DRIFT. */
    private SourceSchema checkSchema(RunRecord run, ContractService.LoadedContract loaded, Connection source) {
        SourceSchema schema;
        try {
            schema = inspector.inspect(source, loaded.contract());
        } catch (SchemaMismatchException e) {
            drift(run, e.getMessage());
            return null;
        }
        String expected = run.schemaFingerprint() != null ? run.schemaFingerprint()
                : loaded.version().schemaFingerprint();
        if (expected == null) {
            ctx.store().update(c -> {
                ctx.store().contracts().pinSchemaFingerprint(c, run.contractName(), run.contractVersion(),
                        schema.fingerprint(), SchemaColumns.write(schema.columns()));
                ctx.store().audit().append(c, ctx.now(), ctx.actor(), "contract.pin-schema", run.contractName() + " v"
                        + run.contractVersion(), null, schema.fingerprint());
            });
        } else if (!expected.equals(schema.fingerprint())) {
            Optional<SchemaGrowth> growth = SchemaGrowth.of(schema, expected);
            boolean additive = loaded.contract().schemaChange() == SchemaChangePolicy.ADDITIVE;
            if (additive && AdditiveSchema.takeable(growth)) {
                AdditiveSchema.Taken taken = AdditiveSchema.take(ctx, run, loaded, schema, growth.get(), expected);
                if (taken.schema() == null) {
                    drift(run, taken.refusal());
                }
                return taken.schema();
            }
            // the version's stored columns name what changed, when they are the ones the run expected
            String what = SchemaColumns.read(loaded.version().schemaColumns(), expected)
                    .map(before -> SchemaColumns.difference(before, schema.columns()))
                    .orElseGet(() -> AdditiveSchema.describe(growth));
            String rule = !AdditiveSchema.takeable(growth) ? "which stops a contract under every schema_change policy"
                    : "which only a contract with \"schema_change\": \"additive\" takes by itself";
            drift(run, "schema drift: the source's columns changed since contract \"" + run.contractName() + "\" v"
                    + run.contractVersion() + " was accepted (fingerprint " + shortHash(schema.fingerprint())
                    + ", expected " + shortHash(expected) + "): " + what + ", " + rule + "; columns now: "
                    + describe(schema) + ". Update the contract (contract import) and resume.");
            return null;
        }
        return schema;
    }

    private void drift(RunRecord run, String message) {
        SchemaDrift.record(ctx, run, message);
    }

    private static String describe(SourceSchema schema) {
        return String.join(", ", schema.columns().stream().map(c -> c.outputName() + " " + c.typeName()).toList());
    }

    private static String shortHash(String h) {
        return h.substring(0, 12);
    }

    /** The lookback in force: the contract's, or 15 minutes by default for date/time cursors. */
    public static Duration effectiveLookback(Contract contract, SourceSchema schema) {
        ColumnInfo lead = schema.leadingCursor();
        Duration configured = contract.lateData().lookback();
        if (lead == null) {
            return Duration.ZERO;
        }
        if (configured == null) {
            return lead.kind().temporal() ? dev.exportdesk.contract.LateDataPolicy.DEFAULT_LOOKBACK : Duration.ZERO;
        }
        if (!configured.isZero() && !lead.kind().temporal()) {
            throw new EngineException("contract \"" + contract.name() + "\": late_data.lookback needs a date/time "
                    + "first cursor column, but \"" + lead.outputName() + "\" is " + lead.typeName()
                    + "; set late_data.lookback to \"0s\"");
        }
        return configured;
    }

    /** Fixes the upper bound and lookback start once per run, from the source's clock. */
    private RunRecord fixBounds(RunRecord run, Contract contract, SourceSchema schema, Connection source) {
        if (run.upperBound() != null) {
            return run;
        }
        String upper;
        String lookbackFrom = null;
        if (contract.incremental()) {
            Object bound = SourceClock.upperBound(source, schema, contract.lateData().safetyLag());
            upper = CursorCodec.encodeValue(bound);
            Duration lookback = effectiveLookback(contract, schema);
            Checkpoint cp = ctx.store().inTransaction(c -> ctx.store().checkpoints().get(c, contract.name()));
            if (!lookback.isZero() && run.cursorFrom() != null && cp.upperBound() != null) {
                Object previous = CursorCodec.decodeValue(cp.upperBound());
                ValueKind kind = schema.leadingCursor().kind();
                if (previous != null) {
                    Instant from = CanonicalValues.instantOf(previous, kind).minus(lookback);
                    lookbackFrom = CursorCodec.encodeValue(CanonicalValues.fromInstant(from, kind));
                }
            }
        } else {
            upper = "null";
        }
        if (run.mode() == RunMode.RESEND) {
            lookbackFrom = earlier(run.lookbackFrom(), lookbackFrom, schema.leadingCursor().kind());
        }
        String fixedLookback = lookbackFrom;
        ctx.store().update(c -> ctx.store().runs().fixBounds(c, run.id(), upper, fixedLookback,
                schema.fingerprint()));
        return reload(run.id());
    }



    /** The earlier of a re-send's watermark and the contract's own lookback start (null: none). */
    private static String earlier(String watermark, String lookbackFrom, ValueKind kind) {
        if (lookbackFrom == null) {
            return watermark;
        }
        Instant a = CanonicalValues.instantOf(CursorCodec.decodeValue(watermark), kind);
        Instant b = CanonicalValues.instantOf(CursorCodec.decodeValue(lookbackFrom), kind);
        return a.isAfter(b) ? lookbackFrom : watermark;
    }

    private RunRecord reload(String runId) {
        return ctx.store().inTransaction(c -> ctx.store().runs().find(c, runId)).orElseThrow();
    }


}
