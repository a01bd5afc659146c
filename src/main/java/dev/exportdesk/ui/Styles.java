package dev.exportdesk.ui;

/** Style classes and pseudo-classes as constants (AtlantaFX's Styles.java); CSS lives in styles/. */
public final class Styles {
    public static final String DARK = "dark";
    public static final String STALLED = "stalled";
    public static final String FAILED = "failed";
    public static final String CANCELLED = "cancelled";
    public static final String MISMATCH = "mismatch";
    /** A label that warns before trouble (the status bar's store health). */
    public static final String WARNING = "warning";
    public static final String FIELD_ERROR = "field-error";
    public static final String DIFF_ADDED = "diff-added";
    public static final String DIFF_REMOVED = "diff-removed";
    public static final String DIFF_TEXT = "diff-text";
    public static final String DARK_STYLESHEET = "/styles/theme-dark.css";
    public static final String BASE_STYLESHEET = "/styles/exportdesk.css";

    private Styles() {
    }
}
