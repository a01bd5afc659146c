package dev.exportdesk.verify;

/**
 * One row where a chunk and its source differ: the key (JSON array text, as in the state store),
 * what differs, the SHA-256 of the row's encoding now (null when it is gone), and — when a later
 * delivery already holds the row as it is now — what carried it (e.g. "run #3"), else null.
 */
public record RowDiff(String key, Kind kind, String sourceSha256, String carriedBy) {
    public enum Kind {
        /** Present in both with different content, or moved out of the range by an update. */
        CHANGED,
        /** Shipped, no longer in the source. */
        MISSING,
        /** In the source range, not in the chunk. */
        EXTRA
    }

    public RowDiff(String key, Kind kind, String sourceSha256) {
        this(key, kind, sourceSha256, null);
    }

    /** This difference, as carried to the partner by {@code by}. */
    public RowDiff carried(String by) {
        return new RowDiff(key, kind, sourceSha256, by);
    }

    /** True when no later delivery carries it: a real finding. */
    public boolean open() {
        return carriedBy == null;
    }
}
