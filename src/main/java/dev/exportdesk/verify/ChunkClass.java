package dev.exportdesk.verify;

import java.util.List;

/** How a chunk compares with its source now (docs/verification.md). */
public enum ChunkClass {
    /** Same rows, same content. */
    MATCH,
    /** Rows updated after export that no later run has carried, nor will the next increment. */
    DRIFT,
    /**
     * Every difference is already carried: a later completed run (or correction) delivered the
     * rows as they are now, or they lie where the next increment will pick them up. Passes.
     */
    CARRIED,
    /** Rows shipped that the source no longer has (hard-deleted). */
    MISSING_AT_SOURCE,
    /** Rows in the chunk's range the chunk does not hold (committed late). */
    LATE_ARRIVALS,
    /** The delivered file does not match its manifest; the source was not compared. */
    DELIVERY_MISMATCH,
    /** The source's columns changed; rows cannot be compared. */
    SCHEMA_DRIFT;

    /** True for the classes that are not a finding. */
    public boolean passes() {
        return this == MATCH || this == CARRIED;
    }

    /**
     * The most serious class the open (not carried) differences show; CARRIED when every
     * difference is carried, MATCH when there are none.
     */
    public static ChunkClass of(List<RowDiff> all) {
        List<RowDiff> diffs = all.stream().filter(RowDiff::open).toList();
        if (diffs.isEmpty()) {
            return all.isEmpty() ? MATCH : CARRIED;
        }
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
