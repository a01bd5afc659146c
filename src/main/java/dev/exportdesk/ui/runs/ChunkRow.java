package dev.exportdesk.ui.runs;

import dev.exportdesk.store.ChunkPageQuery;
import dev.exportdesk.store.ChunkRecord;
import java.time.Instant;

/** One chunk as the run-detail table shows it. */
public record ChunkRow(int seq, String state, String fileName, String cursorFrom, String cursorTo, long rows,
                       long bytes, String sha256, int attempts, String lastError, String check, Instant checkedAt,
                       String checkDetail) {

    public static ChunkRow of(ChunkPageQuery.ChunkWithCheck c) {
        ChunkRecord r = c.chunk();
        return new ChunkRow(r.seq(), r.state().name(), r.fileName(), r.cursorFrom(), r.cursorTo(), r.rowCount(),
                r.byteCount(), r.sha256(), r.attempts(), r.lastError(), c.checkOutcome(), c.checkedAt(),
                c.checkDetail());
    }

    /** A chunk whose last check disagreed with what was shipped, or whose verification failed. */
    public boolean mismatch() {
        return "mismatch".equals(check) || lastError != null && lastError.startsWith("verification failed");
    }

    public String cursorRange() {
        return (cursorFrom == null ? "" : cursorFrom) + " → " + (cursorTo == null ? "" : cursorTo);
    }

    /** Tab-separated, for the clipboard. */
    public String toTsv() {
        return String.join("\t", String.valueOf(seq), state, fileName, cursorRange(), String.valueOf(rows),
                String.valueOf(bytes), sha256 == null ? "" : sha256, String.valueOf(attempts),
                check == null ? "" : check, checkDetail == null ? "" : checkDetail);
    }

    boolean matches(String q) {
        return fileName.toLowerCase().contains(q) || (sha256 != null && sha256.startsWith(q))
                || String.valueOf(seq).equals(q) || cursorRange().toLowerCase().contains(q)
                || (lastError != null && lastError.toLowerCase().contains(q));
    }
}
