package dev.exportdesk.ui.runs;

import dev.exportdesk.store.ChunkPageQuery;
import dev.exportdesk.store.CorrectionRepository.CorrectedBy;
import dev.exportdesk.store.RunState;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The run detail pane's text for one chunk: hashes, receipt, cursor, checks, reconciliation, keys,
 * and its correction lineage (the chunk it corrects, the corrections that corrected it).
 */
final class ChunkDetailText {
    private ChunkDetailText() {
    }

    /**
     * The detail pane's text for a chunk ({@code keys} and {@code correctedBy}, the corrections of
     * this chunk, null while they are being read).
     */
    static String of(ChunkRow c, List<ChunkPageQuery.DifferingKey> keys, List<CorrectedBy> correctedBy) {
        StringBuilder b = new StringBuilder();
        b.append("Chunk ").append(c.seq()).append(" · ").append(c.fileName());
        if (c.corrects() != null) {
            b.append("\nCorrects ").append(c.correctsText());
        }
        if (c.truncateFirst()) {
            b.append("\nBegins with a TRUNCATE of the table: the partner empties its copy before applying it");
        }
        if (correctedBy != null) {
            correctedBy.forEach(x -> b.append("\nCorrected by ").append(link(x)));
        }
        b
                .append("\nSHA-256 shipped        ").append(c.sha256() == null ? "—" : c.sha256())
                .append("\nSHA-256 at destination ").append(c.destinationText())
                .append(c.destinationDiffers() ? "  ← differs from what was shipped" : "")
                .append("\nReceipt ").append(c.receiptText())
                .append("\nCursor ").append(c.cursorRange());
        if (c.lastError() != null) {
            b.append("\nProblem: ").append(c.lastError())
                    .append("\n  (each attempt's error and the causes: the run's Log…)");
        }
        if (c.checkDetail() != null) {
            b.append("\nLast check: ").append(c.checkDetail());
        }
        if (!c.reconciled()) {
            b.append("\nReconciliation: not yet deep-verified (Deep verify re-reads the source).");
            return b.toString();
        }
        b.append("\nReconciliation: ").append(c.outcome()).append(" · ").append(c.rowsChanged())
                .append(" changed, ").append(c.rowsMissing()).append(" missing, ").append(c.rowsExtra())
                .append(" late");
        if (c.reconciliationDetail() != null && !c.reconciliationDetail().isBlank()) {
            b.append(" · ").append(c.reconciliationDetail());
        }
        if ("MATCH".equals(c.reconciliation())) {
            return b.toString();
        }
        carriedBy(b, c, correctedBy);
        if (keys == null) {
            b.append("\nDiffering keys: reading…");
        } else if (keys.isEmpty()) {
            b.append("\nDiffering keys: none recorded (the whole chunk differs, e.g. its delivered file).");
        } else {
            b.append("\nDiffering keys found by bisection:");
            keys.stream().limit(RunDetailViewModel.MAX_KEYS).forEach(k -> b.append("\n  ").append(k.rowKey()).append("  ")
                    .append(ChunkRow.kindText(k.kind())));
            if (keys.size() > RunDetailViewModel.MAX_KEYS) {
                b.append("\n  … more than ").append(RunDetailViewModel.MAX_KEYS).append(" (the report lists them all)");
            }
        }
        return b.toString();
    }

    /** "run #2 chunk 1 (COMPLETED)". */
    static String link(CorrectedBy x) {
        return "run #" + x.sequence() + " chunk " + x.chunkSeq() + " (" + x.state() + ")";
    }

    /**
     * The corrections planned from the very pass this outcome comes from ship its differing keys as
     * they are now; a later deep verification then finds them carried.
     */
    private static void carriedBy(StringBuilder b, ChunkRow c, List<CorrectedBy> correctedBy) {
        if (correctedBy == null) {
            return;
        }
        List<CorrectedBy> fromThisPass = correctedBy.stream().filter(x -> x.verificationId() == c.verificationId())
                .toList();
        if (fromThisPass.isEmpty()) {
            return;
        }
        boolean done = fromThisPass.stream().allMatch(x -> x.state() == RunState.COMPLETED);
        b.append("\n  its differing keys ").append(done ? "were carried by correction " : "are being carried by correction ")
                .append(fromThisPass.stream().map(ChunkDetailText::link).collect(Collectors.joining(", ")));
    }
}
