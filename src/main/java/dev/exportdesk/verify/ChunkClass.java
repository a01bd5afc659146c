package dev.exportdesk.verify;

import java.util.List;

/** How a chunk compares with its source now (docs/verification.md). */
public enum ChunkClass {
    /** Same rows, same content. */
    MATCH,
    /** Rows updated after export; the next increment carries them. */
    DRIFT,
    /** Rows shipped that the source no longer has (hard-deleted). */
    MISSING_AT_SOURCE,
    /** Rows in the chunk's range the chunk does not hold (committed late). */
    LATE_ARRIVALS,
    /** The delivered file does not match its manifest; the source was not compared. */
    DELIVERY_MISMATCH,
    /** The source's columns changed; rows cannot be compared. */
    SCHEMA_DRIFT;

    /** The most serious class the differences show (MATCH when there are none). */
    public static ChunkClass of(List<RowDiff> diffs) {
        if (diffs.stream().anyMatch(d -> d.kind() == RowDiff.Kind.MISSING)) {
            return MISSING_AT_SOURCE;
        }
        if (diffs.stream().anyMatch(d -> d.kind() == RowDiff.Kind.CHANGED)) {
            return DRIFT;
        }
        if (diffs.stream().anyMatch(d -> d.kind() == RowDiff.Kind.EXTRA)) {
            return LATE_ARRIVALS;
        }
        return MATCH;
    }
}
