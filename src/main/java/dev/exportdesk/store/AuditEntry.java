package dev.exportdesk.store;

import java.time.Instant;

/** Who did what to which subject, when, with the state before and after (JSON, may be null). */
public record AuditEntry(long id, Instant at, String actor, String action, String subject, String before,
                         String after) {
}
