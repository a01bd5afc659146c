package dev.exportdesk.engine.runs;

import dev.exportdesk.contract.Contract;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.engine.ProgressListener;
import dev.exportdesk.engine.delivery.RunFailure;
import dev.exportdesk.store.Lease;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.SealedTotals;
import dev.exportdesk.store.SegmentRow;
import dev.exportdesk.store.SegmentState;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The capture phase of a split run, as its own worker (the run's lease holder) lives it: it captures
 * key ranges like any worker while one is free, then waits for the ranges other workers hold, and
 * returns once every range is captured — so a range whose worker died is taken over by whoever comes
 * first, this worker included. Its progress reports count what every range sealed, and are where a
 * Cancel, a lost lease or a stopping worker stops it.
 */
final class SplitCapture {
    private static final long POLL_MILLIS = 500;
    private final EngineContext ctx;
    private final CursorCapture executor;
    private final SegmentWork segments;

    SplitCapture(EngineContext ctx, CursorCapture executor, SegmentWork segments) {
        this.ctx = ctx;
        this.executor = executor;
        this.segments = segments;
    }

    void await(RunRecord run, Contract contract, ProgressListener listener) throws RunFailure, InterruptedException {
        long started = System.nanoTime();
        while (true) {
            List<SegmentRow> ranges = ctx.store().inTransaction(c -> ctx.store().segments().forRun(c, run.id()));
            Optional<SegmentRow> failed = ranges.stream().filter(s -> s.state() == SegmentState.FAILED).findFirst();
            if (failed.isPresent()) {
                throw new RunFailure("key range " + failed.get().segment() + " of " + ranges.size() + " failed: "
                        + failed.get().error());
            }
            if (ranges.stream().allMatch(s -> s.state() == SegmentState.CAPTURED)) {
                return;
            }
            Optional<Lease> mine = segments.claim(run.id());
            if (mine.isPresent()) {
                executor.runSegment(mine.get(), listener);
                continue;
            }
            SealedTotals sealed = ctx.store().inTransaction(c -> ctx.store().chunks().sealedOfUnfinished(c))
                    .getOrDefault(run.id(), new SealedTotals(0, 0, 0));
            listener.onProgress(new RunProgress(run.id(), contract.name(), run.sequence(), RunProgress.Phase.CAPTURE,
                    sealed.rows(), sealed.rows(), sealed.chunks(), sealed.bytes(),
                    Duration.ofNanos(System.nanoTime() - started), RunProgress.Carried.NONE));
            Thread.sleep(POLL_MILLIS);
        }
    }
}
