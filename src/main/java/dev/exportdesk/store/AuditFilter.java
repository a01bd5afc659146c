package dev.exportdesk.store;

import java.time.Instant;

/** Which audit entries to read: at or after {@code from}, before {@code to}, by {@code actor}, of {@code action}; null matches all. */
public record AuditFilter(Instant from, Instant to, String actor, String action) {
    public static final AuditFilter ALL = new AuditFilter(null, null, null, null);
}
