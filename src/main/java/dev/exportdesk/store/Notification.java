package dev.exportdesk.store;

import java.time.Instant;

/** One kept notification (table {@code notifications}, V17); {@code readAt} null while unread. */
public record Notification(long id, String recipient, Instant at, NotificationSeverity severity, String title,
                           String body, Instant readAt) {
}
