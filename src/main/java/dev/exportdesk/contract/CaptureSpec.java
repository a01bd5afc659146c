package dev.exportdesk.contract;

import java.util.regex.Pattern;

/**
 * How a contract takes changes from its source: by its cursor columns (the default, when the
 * contract says nothing), or from PostgreSQL's log through a publication and a replication slot
 * (issue 15, docs/cdc.md). A cursor contract's canonical JSON has no {@code capture} field, so
 * every contract written before it keeps its text and fingerprint.
 */
public record CaptureSpec(Mode mode, String publication, String slot) {
    public static final CaptureSpec CURSOR = new CaptureSpec(Mode.CURSOR, null, null);

    /**
     * Publication and slot names: what PostgreSQL allows in a slot name (lowercase letters, digits,
     * '_', at most 63 bytes), not starting with a digit, so neither ever needs quoting.
     */
    static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    static final String NAME_HINT = "must be 1-63 lowercase letters, digits or '_', not starting with a digit "
            + "(a PostgreSQL name that needs no quoting)";

    public enum Mode {
        CURSOR("cursor"), LOGICAL("logical");

        private final String jsonName;

        Mode(String jsonName) {
            this.jsonName = jsonName;
        }

        public String jsonName() {
            return jsonName;
        }
    }

    public boolean logical() {
        return mode == Mode.LOGICAL;
    }
}
