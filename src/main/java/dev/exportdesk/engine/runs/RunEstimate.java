package dev.exportdesk.engine.runs;

import dev.exportdesk.contract.Contract;
import dev.exportdesk.engine.ContractService;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.engine.EngineException;
import dev.exportdesk.source.RangeCount;
import dev.exportdesk.source.ScanRange;
import dev.exportdesk.source.SchemaInspector;
import dev.exportdesk.source.SourceSchema;
import dev.exportdesk.store.ChunkRecord;
import dev.exportdesk.store.RunMode;
import dev.exportdesk.store.RunRecord;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.OptionalLong;

/**
 * How many source rows a run in progress will read, for an ETA only: counted at the source over
 * the run's own fixed ranges ({@link CaptureRanges}: the lookback re-scan, then the forward scan
 * after its checkpoint up to its upper bound; everything for a full export), or the keys planned
 * for a correction run. It is compared with {@link RunProgress#rowsRead()}, which counts re-scanned
 * rows the lookback skips as already shipped too. On a resumed attempt, which starts from the chunks
 * earlier attempts sealed, it is their rows plus what the attempt reads after them: the rows an
 * earlier lookback read and skipped are known to neither side. Rows committed into the ranges after
 * the count are not in it. Empty when it cannot be known yet (the run's bounds are not fixed, or it
 * has finished).
 */
public final class RunEstimate {
    private final EngineContext ctx;
    private final ContractService contracts;

    public RunEstimate(EngineContext ctx, ContractService contracts) {
        this.ctx = ctx;
        this.contracts = contracts;
    }

    /** {@code carried}: the attempt's {@link RunProgress#carried()}, the chunks it started from. */
    public OptionalLong rowsToRead(String runId, RunProgress.Carried carried) {
        RunRecord run = ctx.store().inTransaction(c -> ctx.store().runs().find(c, runId)).orElse(null);
        if (run == null || run.state().finished()) {
            return OptionalLong.empty();
        }
        if (run.mode() == RunMode.CORRECTION) {
            return OptionalLong.of(ctx.store().inTransaction(c -> ctx.store().corrections().keyCount(c, runId)));
        }
        if (run.upperBound() == null) {
            return OptionalLong.empty(); // bounds are fixed when capture starts
        }
        Contract contract = contracts.load(run.contractName(), run.contractVersion()).contract();
        if (contract.capture().logical() && run.mode() == RunMode.INCREMENTAL) {
            return OptionalLong.empty(); // a stream run reads the log, whose changes no count of the table foretells
        }
        ChunkRecord last = carried.chunks() == 0 ? null : ctx.store().inTransaction(c -> ctx.store().chunks()
                .find(c, runId, carried.chunks())).orElseThrow(() -> new EngineException(
                        "run " + runId + " has no chunk " + carried.chunks() + " to resume after"));
        CaptureRanges ranges = CaptureRanges.of(contract, run).after(last);
        try (Connection source = ctx.sources().open(contract.source())) {
            SourceSchema schema = new SchemaInspector().inspect(source, contract);
            return OptionalLong.of(carried.rows() + count(source, schema, ranges.lookback())
                    + count(source, schema, ranges.forward()));
        } catch (SQLException e) {
            throw new EngineException("cannot count the run's rows at the source: " + e.getMessage(), e);
        }
    }

    private static long count(Connection source, SourceSchema schema, ScanRange range) {
        return range == null ? 0 : RangeCount.count(source, schema, range);
    }
}
