package dev.exportdesk.access;

import java.time.Instant;

/** A local console user. The password hash never leaves {@link UserStore}. */
public record User(long id, String name, Role role, Instant createdAt) {

    public boolean can(Permission permission) {
        return role.allows(permission);
    }

    /** How the user appears in the audit log. */
    public String actor() {
        return name;
    }
}
