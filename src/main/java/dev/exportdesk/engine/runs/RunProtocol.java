package dev.exportdesk.engine.runs;

import dev.exportdesk.chunk.DeliveryLayout;
import dev.exportdesk.chunk.RowMask;
import dev.exportdesk.contract.Contract;
import dev.exportdesk.engine.ContractService;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.engine.EngineException;
import dev.exportdesk.engine.ProgressListener;
import dev.exportdesk.engine.delivery.DeliveryPool;
import dev.exportdesk.engine.delivery.EngineDestinations;
import dev.exportdesk.engine.delivery.RunFailure;
import dev.exportdesk.source.SourceException;
import dev.exportdesk.source.SourceSchema;
import dev.exportdesk.source.ValueKind;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.RunState;
import dev.exportdesk.store.StoreException;
import dev.exportdesk.store.StoreIntegrityException;
import dev.exportdesk.transfer.Destination;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The crash-safe protocol every run follows, written once: prepare (schema, bounds) → capture and
 * seal chunks → deliver → finalize, with what a run captures plugged in as a {@link CaptureSource}:
 * the cursor's increment or full export ({@link CursorCapture}), a correction's keys
 * ({@link CorrectionCapture}).
 *
 * <p>Order of durable facts, which is what makes a SIGKILL at any instant harmless: a chunk is
 * sealed (hashes and ordering range recorded, shipped-line index updated) in one transaction, under
 * a staging name of its own until then; it is marked DELIVERING durably before its first byte
 * leaves, DELIVERED durably after the atomic rename; the run is FINALIZING durably once every chunk
 * is captured; the checkpoint advances only with the manifest, in the run's completing transaction.
 * A resumed attempt starts again here and finds each fact where the last attempt left it.
 */
public final class RunProtocol {
    /** What a run captures; the protocol around it is the same for every kind of run. */
    interface CaptureSource {
        /** The run to execute for {@code planned} (a drifted run may move to the contract's newest version). */
        default RunRecord rebind(RunRecord planned) {
            return planned;
        }

        /**
         * Checks the source's schema and fixes, once per run, what the run reads. Empty when the run
         * stopped here (schema drift, recorded on the run) with nothing more to do.
         */
        Optional<Prepared> prepare(RunRecord run, ContractService.LoadedContract loaded, Connection source);

        /**
         * Captures and seals every chunk the run still lacks, hands each to {@code delivery} and drains
         * it; chunks an earlier attempt sealed are delivered, never captured again.
         */
        void capture(Prepared prepared, Contract contract, Connection source, DeliveryPool delivery, Path staging,
                     ProgressListener listener)
                throws RunFailure, InterruptedException, SQLException, SchemaDrift, ResyncNeeded;
    }

    /** A run ready to capture: as it now stands, the source's schema, and the lookback in force. */
    record Prepared(RunRecord run, SourceSchema schema, Duration lookback) {
    }

    private final EngineContext ctx;
    private final ContractService contracts;
    private final RunFinalizer finalizer;

    public RunProtocol(EngineContext ctx, ContractService contracts) {
        this.ctx = ctx;
        this.contracts = contracts;
        this.finalizer = new RunFinalizer(ctx);
    }

    public RunResult execute(RunRecord planned, ProgressListener listener, CaptureSource capture) {
        return RunAttempts.logged(ctx, planned, () -> attempt(planned, listener, capture));
    }

    private RunResult attempt(RunRecord planned, ProgressListener listener, CaptureSource capture) {
        RunRecord run = capture.rebind(planned);
        ContractService.LoadedContract loaded = contracts.load(run.contractName(), run.contractVersion());
        Contract contract = loaded.contract();
        String runDirectory = DeliveryLayout.runDirectory(contract, run.contractVersion(), run.sequence(), run.plannedAt());
        Path staging = ctx.stagingDir().resolve(run.id());
        String runId = run.id();
        RunAttempts.begin(ctx, planned);
        try (Destination destination = EngineDestinations.open(ctx, contract.destination());
             Connection source = ctx.sources().open(contract.source());
             DeliveryPool delivery = new DeliveryPool(ctx, contract, destination, runDirectory, staging)) {
            Optional<Prepared> prepared = capture.prepare(run, loaded, source);
            if (prepared.isEmpty()) {
                return result(runId, destination, runDirectory);
            }
            Prepared p = prepared.get();
            if (p.run().state() != RunState.FINALIZING) {
                ctx.store().update(c -> ctx.store().runs().updateState(c, runId, RunState.CAPTURING, null, ctx.now()));
                capture.capture(p, contract, source, delivery, staging, listener);
                ctx.store().updateDurably(c -> ctx.store().runs().updateState(c, runId, RunState.FINALIZING,
                        null, ctx.now()));
            }
            // after capture, not before: an interrupted remote upload is resumed from its temporary. And on
            // every resume of a finalizing run: temporaries have random names, so one a crash left while the
            // run's own files were written is never reused, only swept
            delivery.sweepTemporaries();
            SourceSchema schema = p.schema();
            List<String> names = RowMask.keyless(contract, schema).names(); // as delivered: dropped columns gone
            ValueKind leadKind = schema.leadingCursor() == null ? null : schema.leadingCursor().kind();
            finalizer.finish(reload(runId), contract, names, leadKind, p.lookback(), delivery.files(), staging);
            return result(runId, destination, runDirectory);
        } catch (SchemaDrift e) {
            SchemaDrift.record(ctx, run, e.getMessage());
        } catch (ResyncNeeded e) {
            ResyncNeeded.record(ctx, run, e.getMessage());
        } catch (RunFailure e) {
            RunAttempts.fail(ctx, runId, e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            RunAttempts.fail(ctx, runId, "cancelled", e);
        } catch (StoreIntegrityException e) {
            // the store the failure would be recorded in is gone: say so, record nothing
            throw e;
        } catch (SourceException | StoreException | UncheckedIOException | EngineException e) {
            RunAttempts.fail(ctx, runId, e.getMessage(), e);
        } catch (SQLException e) {
            RunAttempts.fail(ctx, runId, "source: " + e.getMessage(), e);
        }
        return result(runId, null, runDirectory);
    }

    private RunRecord reload(String runId) {
        return ctx.store().inTransaction(c -> ctx.store().runs().find(c, runId)).orElseThrow();
    }

    private RunResult result(String runId, Destination destination, String runDirectory) {
        return new RunResult(reload(runId), destination == null ? null : destination.describe(), runDirectory);
    }
}
