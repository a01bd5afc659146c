package dev.exportdesk.engine.retention;

import dev.exportdesk.store.RunPrune.PrunedFile;
import dev.exportdesk.store.RunRecord;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * What retention would remove now, and what it keeps on purpose: the same plan is printed by
 * {@code prune --dry-run} and carried out by {@code prune}, so the two can never disagree.
 */
public record PrunePlan(Instant at, List<DeliveredRun> runs, List<LocalFolder> local, List<Kept> kept) {

    public PrunePlan {
        runs = List.copyOf(runs);
        local = List.copyOf(local);
        kept = List.copyOf(kept);
    }

    public boolean isEmpty() {
        return runs.isEmpty() && local.isEmpty();
    }

    /** A completed run whose files go from its destination folder. */
    public record DeliveredRun(RunRecord run, String runDirectory, List<PrunedFile> files) {
        public DeliveredRun {
            files = List.copyOf(files);
        }
    }

    /** Which workspace folder a local prune removes. */
    public enum LocalKind {
        /** {@code retained/RUN_ID}: sealed copies kept for a redelivery */
        RETAINED_COPIES,
        /** {@code staging/RUN_ID…}: chunk files of a run that completed, or of a run the store does not know */
        STAGING
    }

    /** A workspace folder of one run that retention removes. */
    public record LocalFolder(LocalKind kind, String contract, String runId, Path folder) {
    }

    /** Why a run past its retention is kept (the newest run, an unaccepted receipt…). */
    public record Kept(String contract, long sequence, String runId, String reason) {
    }
}
