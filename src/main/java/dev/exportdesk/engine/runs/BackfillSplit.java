package dev.exportdesk.engine.runs;

import dev.exportdesk.contract.Backfill;
import dev.exportdesk.contract.Contract;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.source.CursorCodec;
import dev.exportdesk.source.RangeCount;
import dev.exportdesk.source.RangeSplit;
import dev.exportdesk.source.ScanRange;
import dev.exportdesk.source.SourceSchema;
import dev.exportdesk.store.RunRecord;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a run a worker starts is a parallel backfill (docs/team-mode.md, "Parallel
 * backfills"): a full export or an incremental contract's first export, of a contract that lets more
 * than one worker share it, with at least two ranges' worth of rows and nothing sealed yet. Then it
 * splits the forward range into key ranges once, in the store, fenced by the run's lease.
 */
final class BackfillSplit {
    private static final Logger LOG = LoggerFactory.getLogger(BackfillSplit.class);

    private BackfillSplit() {
    }

    /** True when the run is split: just now, or by an earlier attempt (whose failed ranges open again). */
    static boolean splitOrResume(EngineContext ctx, RunRecord run, Contract contract, SourceSchema schema,
                                 Connection source) {
        boolean split = ctx.store().inTransaction(c -> {
            ctx.store().segments().reopenFailed(c, run.id());
            return !ctx.store().segments().forRun(c, run.id()).isEmpty();
        });
        if (split) {
            return true;
        }
        Backfill backfill = contract.backfill();
        CaptureRanges ranges = CaptureRanges.of(contract, run);
        if (!backfill.parallel() || run.cursorFrom() != null || ranges.lookback() != null || ranges.forward() == null
                || ctx.store().inTransaction(c -> !ctx.store().chunks().forRun(c, run.id()).isEmpty())) {
            return false;
        }
        ScanRange forward = ranges.forward();
        long rows = RangeCount.count(source, schema, forward);
        int parts = (int) Math.min(Backfill.MAX_SEGMENTS, rows / backfill.segmentRows());
        List<Object[]> points = RangeSplit.points(source, schema, forward, rows, parts);
        if (points.isEmpty()) {
            return false;
        }
        List<String[]> bounds = new ArrayList<>();
        String after = encode(forward.after());
        for (Object[] point : points) {
            String upTo = CursorCodec.encode(point);
            bounds.add(new String[] {after, upTo});
            after = upTo;
        }
        bounds.add(new String[] {after, encode(forward.upTo())});
        ctx.store().update(c -> {
            ctx.store().segments().insert(c, run.id(), bounds, backfill.maxWorkers());
            ctx.store().audit().append(c, ctx.now(), ctx.actor(), "run.split", contract.name() + " run "
                    + run.sequence(), null, "{\"ranges\":" + bounds.size() + ",\"rows\":" + rows + ",\"max_workers\":"
                    + backfill.maxWorkers() + "}");
        });
        LOG.info("run {} of {}: {} rows split into {} key ranges for up to {} workers", run.sequence(),
                contract.name(), rows, bounds.size(), backfill.maxWorkers());
        return true;
    }

    private static String encode(Object[] tuple) {
        return tuple == null ? null : CursorCodec.encode(tuple);
    }
}
