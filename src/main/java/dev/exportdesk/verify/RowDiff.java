package dev.exportdesk.verify;

/**
 * One row where a chunk and its source differ: the key (JSON array text, as in the state store),
 * what differs, and the SHA-256 of the row's encoding now (null when it is gone).
 */
public record RowDiff(String key, Kind kind, String sourceSha256) {
    public enum Kind {
        /** Present in both with different content, or moved out of the range by an update. */
        CHANGED,
        /** Shipped, no longer in the source. */
        MISSING,
        /** In the source range, not in the chunk. */
        EXTRA
    }
}
