package dev.exportdesk.cdc;

import java.util.regex.Pattern;

/**
 * Slot and publication names: PostgreSQL allows only lowercase letters, digits and underscores in
 * slot names (at most 63 bytes), and pgjdbc splices the slot name into replication commands
 * unquoted, so every name is checked against this allow-list before it reaches the server.
 * Publications follow the same rule, so they too never need quoting.
 */
public final class SlotName {
    public static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private SlotName() {
    }

    static String check(String what, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " must be 1-63 lowercase letters, digits or '_', not starting "
                    + "with a digit");
        }
        return name;
    }
}
