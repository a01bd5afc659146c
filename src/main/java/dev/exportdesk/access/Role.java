package dev.exportdesk.access;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The console's roles (issue 6): steward edits, operator runs, auditor reads and verifies. */
public enum Role {
    ADMIN(EnumSet.allOf(Permission.class)),
    STEWARD(EnumSet.of(Permission.READ, Permission.EDIT_CONTRACTS, Permission.CONTROL_SCHEDULE)),
    OPERATOR(EnumSet.of(Permission.READ, Permission.OPERATE_RUNS, Permission.CONTROL_SCHEDULE)),
    AUDITOR(EnumSet.of(Permission.READ, Permission.VERIFY));

    private final Set<Permission> permissions;

    Role(Set<Permission> permissions) {
        this.permissions = Set.copyOf(permissions);
    }

    public boolean allows(Permission permission) {
        return permissions.contains(permission);
    }

    public Set<Permission> permissions() {
        return permissions;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String text) {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
    }
}
