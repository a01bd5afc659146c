package dev.exportdesk.store;

/**
 * A chunk's life: planned (being written to staging) → packaged (sealed, immutable) → delivering →
 * delivered → verified. FAILED keeps the sealed bytes; a resume re-sends exactly those bytes.
 */
public enum ChunkState {
    PLANNED, PACKAGED, DELIVERING, DELIVERED, VERIFIED, FAILED;

    /** Sealed chunks have fixed bytes and hashes: they are delivered as they are, never rebuilt. */
    public boolean sealed() {
        return this != PLANNED;
    }

    public boolean delivered() {
        return this == DELIVERED || this == VERIFIED;
    }
}
