package dev.exportdesk.cli;

/** Process exit codes (documented in docs/cli.md). */
public final class ExitCodes {
    public static final int OK = 0;
    /** A run failed or stopped; its reason is shown and kept in {@code status}. */
    public static final int RUN_FAILED = 1;
    /** Wrong command-line usage. */
    public static final int USAGE = 2;
    /** A contract or other input was rejected; every problem is listed. */
    public static final int INVALID_INPUT = 3;
    /** Another process holds the workspace. */
    public static final int WORKSPACE_BUSY = 4;
    /** The source schema no longer matches the contract. */
    public static final int SCHEMA_DRIFT = 5;
    /** Verification found delivered files that do not match their manifest. */
    public static final int VERIFY_FAILED = 6;
    /** The source or destination could not be reached or read. */
    public static final int UNAVAILABLE = 7;
    /**
     * The workspace's state store is missing, empty or another workspace's (or vanished while in
     * use): restore it from a backup; nothing was recorded.
     */
    public static final int STORE_LOST = 8;
    /**
     * The state store's schema is newer than this build (upgrade ExportDesk), or a team store waits
     * for {@code exportdesk store migrate}; nothing was written.
     */
    public static final int STORE_VERSION = 9;
    /**
     * A log-based run stopped because the log can no longer give its changes (its replication slot
     * is lost or gone; a TRUNCATE ships instead): nothing retries it; {@code exportdesk resync}.
     */
    public static final int RESYNC_REQUIRED = 10;

    private ExitCodes() {
    }
}
