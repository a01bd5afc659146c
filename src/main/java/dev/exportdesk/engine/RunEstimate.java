package dev.exportdesk.engine;

import dev.exportdesk.contract.Contract;
import dev.exportdesk.source.CursorCodec;
import dev.exportdesk.source.RangeCount;
import dev.exportdesk.source.ScanRange;
import dev.exportdesk.source.SchemaInspector;
import dev.exportdesk.store.RunRecord;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.OptionalLong;

/**
 * How many source rows a run in progress will read in its forward scan, counted at the source over
 * the run's own fixed range (after its checkpoint, up to its upper bound; everything for a full
 * export). For an ETA only: late rows found by the lookback re-scan are not in it, and rows
 * committed into the range after the count are not either. Empty when it cannot be known yet
 * (the run's bounds are not fixed, or it has finished).
 */
public final class RunEstimate {
    private final EngineContext ctx;
    private final ContractService contracts;

    public RunEstimate(EngineContext ctx, ContractService contracts) {
        this.ctx = ctx;
        this.contracts = contracts;
    }

    public OptionalLong forwardRows(String runId) {
        RunRecord run = ctx.store().inTransaction(c -> ctx.store().runs().find(c, runId)).orElse(null);
        if (run == null || run.state().finished()) {
            return OptionalLong.empty();
        }
        Contract contract = contracts.load(run.contractName(), run.contractVersion()).contract();
        ScanRange range;
        if (contract.incremental()) {
            if (run.upperBound() == null) {
                return OptionalLong.empty(); // bounds are fixed when capture starts
            }
            Object upper = CursorCodec.decodeValue(run.upperBound());
            if (upper == null) {
                return OptionalLong.of(0); // an empty source: nothing below the bound
            }
            Object[] after = run.cursorFrom() == null ? null : CursorCodec.decode(run.cursorFrom());
            range = new ScanRange(after, null, null, upper);
        } else {
            range = ScanRange.all();
        }
        try (Connection source = ctx.sources().open(contract.source())) {
            return OptionalLong.of(RangeCount.count(source, new SchemaInspector().inspect(source, contract), range));
        } catch (SQLException e) {
            throw new EngineException("cannot count the run's rows at the source: " + e.getMessage(), e);
        }
    }
}
