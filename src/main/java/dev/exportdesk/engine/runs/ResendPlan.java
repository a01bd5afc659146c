package dev.exportdesk.engine.runs;

import dev.exportdesk.contract.Contract;
import dev.exportdesk.engine.ContractService;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.engine.EngineException;
import dev.exportdesk.source.CanonicalValues;
import dev.exportdesk.source.ColumnInfo;
import dev.exportdesk.source.CursorCodec;
import dev.exportdesk.source.RangeCount;
import dev.exportdesk.source.ScanRange;
import dev.exportdesk.source.SchemaInspector;
import dev.exportdesk.source.SourceSchema;
import dev.exportdesk.source.ValueKind;
import dev.exportdesk.store.Checkpoint;
import dev.exportdesk.store.RunRecord;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The plan of {@code resync --from}: a cursor contract's partner lost what arrived after some
 * point, so the next run sends again every row whose leading cursor value is at or after the
 * watermark, up to where the last run ended, and then goes on as an increment. Only a cursor
 * contract has such an order (a logical contract's log is gone once confirmed; a keyless contract
 * sends its whole table every run anyway), and only once a run has ended somewhere.
 */
final class ResendPlan {
    private ResendPlan() {
    }

    static RunResync.Plan plan(EngineContext ctx, ContractService.LoadedContract loaded, String from) {
        Contract contract = loaded.contract();
        String name = contract.name();
        if (contract.capture().logical()) {
            throw new EngineException(name + " captures from the log: a re-sync sends its whole table again "
                    + "(resync without --from); the log before the last run's end is gone");
        }
        if (!contract.incremental()) {
            throw new EngineException(name + " has no cursor columns: each of its runs sends the whole table, "
                    + "so there is nothing to start --from");
        }
        Optional<RunRecord> unfinished = ctx.store().inTransaction(c -> ctx.store().runs().unfinished(c, name));
        if (unfinished.isPresent()) {
            throw new EngineException("run #" + unfinished.get().sequence() + " of " + name + " is unfinished: "
                    + "resume it first, then re-sync from a watermark");
        }
        Checkpoint cp = ctx.store().inTransaction(c -> ctx.store().checkpoints().get(c, name));
        if (cp.cursorValue() == null) {
            throw new EngineException(name + " has delivered nothing yet: its next run sends the whole table");
        }
        try (Connection source = ctx.sources().open(contract.source())) {
            SourceSchema schema = new SchemaInspector().inspect(source, contract);
            ColumnInfo lead = schema.leadingCursor();
            Object value = Watermark.parse(from, lead);
            Object[] checkpoint = CursorCodec.decode(cp.cursorValue());
            if (after(value, checkpoint[0], lead.kind())) {
                throw new EngineException("--from " + from.trim() + " is after where the last run of " + name
                        + " ended (" + lead.outputName() + " " + checkpoint[0] + "): the next run sends that anyway");
            }
            long rows = RangeCount.count(source, schema, new ScanRange(null, value, checkpoint, null));
            return new RunResync.Plan(name, loaded.version().version(), cp.lastSequence() + 1, null, null, 0, null,
                    null, new RunResync.Resend(lead.outputName(), value.toString(), CursorCodec.encodeValue(value), rows));
        } catch (SQLException e) {
            throw new EngineException("cannot read " + name + "'s source: " + e.getMessage(), e);
        }
    }

    /** Whether {@code a} orders after {@code b}; text is left to the source's collation (never refused here). */
    private static boolean after(Object a, Object b, ValueKind kind) {
        if (b == null) {
            return false;
        }
        return switch (kind) {
            case INTEGER -> ((Number) a).longValue() > ((Number) b).longValue();
            case DECIMAL -> new BigDecimal(a.toString()).compareTo(new BigDecimal(b.toString())) > 0;
            case DATE, TIMESTAMP, TIMESTAMP_TZ -> CanonicalValues.instantOf(a, kind)
                    .isAfter(CanonicalValues.instantOf(b, kind));
            default -> false;
        };
    }
}
