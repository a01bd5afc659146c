package dev.exportdesk.store;

/**
 * Which scan of its run a chunk's last row came from, stored with the chunk ({@code scan_phase}) so a
 * resume continues in that scan, and verification knows how the chunk's rows were chosen.
 */
public enum ScanPhase {
    /** The cursor run's re-scan of the lookback window (rows already passed, compared with what shipped). */
    LOOKBACK,
    /** The cursor run's scan past its checkpoint, up to the run's bound. */
    FORWARD,
    /** Changes read from a logical replication slot. */
    STREAM,
    /** Rows re-read from the source for a correction run. */
    CORRECTION;

    /** The stored word, or null for none. */
    public static ScanPhase of(String stored) {
        if (stored == null) {
            return null;
        }
        for (ScanPhase p : values()) {
            if (p.name().equals(stored)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown scan phase: " + stored);
    }

    public static String wire(ScanPhase phase) {
        return phase == null ? null : phase.name();
    }
}
