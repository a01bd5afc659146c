package dev.exportdesk.ui.runs;

import dev.exportdesk.engine.receipts.AckService;
import dev.exportdesk.store.AckRepository;
import dev.exportdesk.store.AckState;
import dev.exportdesk.store.ChunkPageQuery;
import dev.exportdesk.store.ChunkRecord;
import dev.exportdesk.store.CorrectionRepository;
import dev.exportdesk.verify.ChunkClass;
import dev.exportdesk.verify.DeliveryVerifier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One chunk as the run-detail table shows it: its record, its latest check (and the SHA-256 that
 * check measured at the destination), the partner's receipt for it and, once a deep verification
 * ran, its latest reconciliation ({@code reconciliation} is a {@code ChunkClass} name, null when
 * never reconciled) with drift counts. {@code receipt} is ACKNOWLEDGED or REDELIVER (with
 * {@code receiptReason}; REDELIVERED once sent again) once a receipt was judged, else the run's receipt state (WAITING, OVERDUE,
 * REJECTED, NOT_EXPECTED), null while the run is unfinished. {@code corrects} is, for a chunk of a
 * correction run, the chunk it corrects and its keys by kind (null for an ordinary chunk).
 * {@code truncateFirst}: a log-based stream chunk that begins with a TRUNCATE of the table.
 */
public record ChunkRow(int seq, String state, String fileName, String cursorFrom, String cursorTo, long rows,
                       long bytes, String sha256, int attempts, String lastError, String check, Instant checkedAt,
                       String checkDetail, String reconciliation, long rowsChanged, long rowsMissing, long rowsExtra,
                       long verificationId, String reconciliationDetail, String destinationSha256, AckState receipt,
                       String receiptReason, CorrectionRepository.Link corrects, boolean truncateFirst) {

    public static ChunkRow of(ChunkPageQuery.ChunkWithCheck c) {
        return of(c, null, null, null);
    }

    /**
     * A chunk with its latest reconciliation ({@code recon} null when it has none), receipt (null:
     * none read) and, in a correction run, what it corrects ({@code corrects} null otherwise).
     */
    public static ChunkRow of(ChunkPageQuery.ChunkWithCheck c, ChunkPageQuery.Reconciliation recon,
                              AckService.PageReceipts receipts, CorrectionRepository.Link corrects) {
        ChunkRecord r = c.chunk();
        AckRepository.ChunkAck ack = receipts == null ? null : receipts.chunks().get(r.seq());
        return new ChunkRow(r.seq(), r.state().name(), r.fileName(), r.cursorFrom(), r.cursorTo(), r.rowCount(),
                r.byteCount(), r.sha256(), r.attempts(), r.lastError(), c.checkOutcome(), c.checkedAt(),
                c.checkDetail(), recon == null ? null : recon.classification(),
                recon == null ? 0 : recon.rowsChanged(), recon == null ? 0 : recon.rowsMissing(),
                recon == null ? 0 : recon.rowsExtra(), recon == null ? 0 : recon.verificationId(),
                recon == null ? null : recon.detail(), c.destinationSha256(),
                ack != null ? ack.state() : receipts == null ? null : receipts.runState(),
                ack == null ? null : ack.reason(), corrects, r.truncateFirst());
    }

    /** The "Corrects" column: "run #1 chunk 3 (chunk-000003.jsonl.zst) · 12 keys (10 changed, 2 missing)", or "". */
    public String correctsText() {
        if (corrects == null) {
            return "";
        }
        CorrectionRepository.Correction x = corrects.correction();
        List<String> kinds = new ArrayList<>();
        if (corrects.changed() > 0) {
            kinds.add(corrects.changed() + " changed");
        }
        if (corrects.missing() > 0) {
            kinds.add(corrects.missing() + " missing");
        }
        if (corrects.late() > 0) {
            kinds.add(corrects.late() + " late");
        }
        return "run #" + x.correctsSequence() + " chunk " + x.correctsChunkSeq() + " (" + x.correctsFile() + ") · "
                + corrects.keys() + (corrects.keys() == 1 ? " key" : " keys")
                + (kinds.isEmpty() ? "" : " (" + String.join(", ", kinds) + ")");
    }

    /** The destination hash column: the measured hash (with why the file is unusable), or why there is none. */
    public String destinationText() {
        if (destinationSha256 != null) {
            return checkDetail != null && checkDetail.contains(DeliveryVerifier.DOES_NOT_DECOMPRESS)
                    ? destinationSha256 + " (" + DeliveryVerifier.DOES_NOT_DECOMPRESS + ")" : destinationSha256;
        }
        return check == null ? "not verified" : "unreadable (see last check)";
    }

    /** True once a check measured the file at the destination with other bytes than were shipped. */
    public boolean destinationDiffers() {
        return destinationSha256 != null && !destinationSha256.equals(sha256);
    }

    /** The receipt column in words: ACKNOWLEDGED, "REDELIVER — reason", waiting, none… */
    public String receiptText() {
        if (receipt == null) {
            return "—";
        }
        return switch (receipt) {
            case ACKNOWLEDGED -> "ACKNOWLEDGED";
            case REDELIVER -> "REDELIVER — " + (receiptReason == null ? "no reason given" : receiptReason);
            case REDELIVERED -> "REDELIVERED — " + (receiptReason == null ? "sent again" : receiptReason);
            case WAITING -> "waiting";
            case OVERDUE -> "waiting (past the deadline)";
            case REJECTED -> "receipt rejected";
            case NOT_EXPECTED -> "none";
        };
    }

    /**
     * A chunk whose last check disagreed with what was shipped, whose verification failed, whose
     * latest reconciliation found it differs from the source, or that the partner asked to redeliver
     * (until a fresh receipt accepts what was sent again).
     */
    public boolean mismatch() {
        return "mismatch".equals(check) || lastError != null && lastError.startsWith("verification failed")
                || reconciled() && !ChunkClass.valueOf(reconciliation).passes() || destinationDiffers()
                || receipt == AckState.REDELIVER || receipt == AckState.REDELIVERED;
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
                reconciled() ? outcome() : "", driftCounts(), destinationSha256 == null ? "" : destinationSha256,
                receiptText(), correctsText());
    }

    boolean matches(String q) {
        return fileName.toLowerCase().contains(q) || (sha256 != null && sha256.startsWith(q))
                || String.valueOf(seq).equals(q) || cursorRange().toLowerCase().contains(q)
                || (lastError != null && lastError.toLowerCase().contains(q))
                || (reconciled() && outcome().contains(q))
                || (destinationSha256 != null && destinationSha256.startsWith(q))
                || receiptText().toLowerCase(Locale.ROOT).contains(q)
                || (corrects != null && correctsText().toLowerCase(Locale.ROOT).contains(q));
    }
}
