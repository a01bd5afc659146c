package dev.exportdesk.ui.runs;

import dev.exportdesk.store.ChunkPageQuery;
import dev.exportdesk.store.ChunkRecord;
import java.time.Instant;
import java.util.Locale;

/**
 * One chunk as the run-detail table shows it: its record, its latest check and, once a deep
 * verification ran, its latest reconciliation ({@code reconciliation} is a {@code ChunkClass} name,
 * null when never reconciled) with drift counts.
 */
public record ChunkRow(int seq, String state, String fileName, String cursorFrom, String cursorTo, long rows,
                       long bytes, String sha256, int attempts, String lastError, String check, Instant checkedAt,
                       String checkDetail, String reconciliation, long rowsChanged, long rowsMissing, long rowsExtra,
                       long verificationId, String reconciliationDetail) {

    public static ChunkRow of(ChunkPageQuery.ChunkWithCheck c) {
        return of(c, null);
    }

    /** A chunk with its latest reconciliation ({@code recon} null when it has none). */
    public static ChunkRow of(ChunkPageQuery.ChunkWithCheck c, ChunkPageQuery.Reconciliation recon) {
        ChunkRecord r = c.chunk();
        return new ChunkRow(r.seq(), r.state().name(), r.fileName(), r.cursorFrom(), r.cursorTo(), r.rowCount(),
                r.byteCount(), r.sha256(), r.attempts(), r.lastError(), c.checkOutcome(), c.checkedAt(),
                c.checkDetail(), recon == null ? null : recon.classification(),
                recon == null ? 0 : recon.rowsChanged(), recon == null ? 0 : recon.rowsMissing(),
                recon == null ? 0 : recon.rowsExtra(), recon == null ? 0 : recon.verificationId(),
                recon == null ? null : recon.detail());
    }

    /**
     * A chunk whose last check disagreed with what was shipped, whose verification failed, or whose
     * latest reconciliation found it differs from the source.
     */
    public boolean mismatch() {
        return "mismatch".equals(check) || lastError != null && lastError.startsWith("verification failed")
                || reconciled() && !"MATCH".equals(reconciliation);
    }

    public boolean reconciled() {
        return reconciliation != null;
    }

    /** The reconciliation outcome in words ("—" when never reconciled). */
    public String outcome() {
        return outcomeText(reconciliation);
    }

    /** "changed/missing/late", e.g. "1/1/0" ("" when never reconciled). */
    public String driftCounts() {
        return reconciled() ? rowsChanged + "/" + rowsMissing + "/" + rowsExtra : "";
    }

    public static String outcomeText(String classification) {
        if (classification == null) {
            return "—";
        }
        return switch (classification) {
            case "MATCH" -> "match";
            case "DRIFT" -> "changed since export";
            case "MISSING_AT_SOURCE" -> "missing at source";
            case "LATE_ARRIVALS" -> "late arrivals";
            case "DELIVERY_MISMATCH" -> "delivery mismatch";
            case "SCHEMA_DRIFT" -> "schema changed";
            default -> classification.toLowerCase(Locale.ROOT).replace('_', ' ');
        };
    }

    /** A differing key's kind in words (a {@code RowDiff.Kind} name). */
    public static String kindText(String kind) {
        return switch (kind) {
            case "CHANGED" -> "changed since export";
            case "MISSING" -> "missing at source";
            case "EXTRA" -> "late arrival";
            default -> kind.toLowerCase(Locale.ROOT);
        };
    }

    public String cursorRange() {
        return (cursorFrom == null ? "" : cursorFrom) + " → " + (cursorTo == null ? "" : cursorTo);
    }

    /** Tab-separated, for the clipboard. */
    public String toTsv() {
        return String.join("\t", String.valueOf(seq), state, fileName, cursorRange(), String.valueOf(rows),
                String.valueOf(bytes), sha256 == null ? "" : sha256, String.valueOf(attempts),
                check == null ? "" : check, checkDetail == null ? "" : checkDetail,
                reconciled() ? outcome() : "", driftCounts());
    }

    boolean matches(String q) {
        return fileName.toLowerCase().contains(q) || (sha256 != null && sha256.startsWith(q))
                || String.valueOf(seq).equals(q) || cursorRange().toLowerCase().contains(q)
                || (lastError != null && lastError.toLowerCase().contains(q))
                || (reconciled() && outcome().contains(q));
    }
}
