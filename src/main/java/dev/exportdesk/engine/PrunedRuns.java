package dev.exportdesk.engine;

import dev.exportdesk.store.RunPrune;
import dev.exportdesk.store.RunRecord;
import java.util.Optional;

/**
 * Runs retention removed from their destination (engine.retention): what needs the delivered files
 * — verification, receipts, redelivery — refuses them in words instead of failing on missing files.
 */
public final class PrunedRuns {
    private PrunedRuns() {
    }

    public static Optional<RunPrune> find(EngineContext ctx, String runId) {
        return ctx.store().inTransaction(c -> ctx.store().prunes().find(c, runId));
    }

    public static boolean isPruned(EngineContext ctx, String runId) {
        return find(ctx, runId).isPresent();
    }

    /** Throws a clear {@link EngineException} when {@code run} was pruned: {@code action} is what cannot be done. */
    public static void refuse(EngineContext ctx, RunRecord run, String action) {
        Optional<RunPrune> prune = find(ctx, run.id());
        if (prune.isPresent()) {
            RunPrune p = prune.get();
            throw new EngineException("cannot " + action + " run " + run.sequence() + " of " + run.contractName()
                    + ": retention pruned it" + (p.prunedAt() != null ? " at " + p.prunedAt() : "") + ", its "
                    + p.files().size() + " file(s) are no longer at the destination (" + p.runDirectory()
                    + "); the ledger keeps their SHA-256 (`exportdesk ledger verify`)");
        }
    }
}
