package dev.exportdesk.engine;

import dev.exportdesk.store.Notification;
import dev.exportdesk.store.NotificationSeverity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The console's notification history in the state store: what each user was told in a toast or
 * an error dialog, kept so it outlives them (and a restart). Bounded per user: the newest
 * {@link dev.exportdesk.store.NotificationRepository#KEEP}, none older than {@link #KEEP_FOR}.
 */
public final class NotificationService {
    /** Notifications older than this are pruned whenever one is added. */
    public static final Duration KEEP_FOR = Duration.ofDays(30);
    private final EngineContext ctx;

    public NotificationService(EngineContext ctx) {
        this.ctx = ctx;
    }

    /** Keeps one notification for {@code recipient}, at {@code at} (when it was shown); returns its id. */
    public long add(String recipient, Instant at, NotificationSeverity severity, String title, String body) {
        return ctx.store().inTransaction(c -> ctx.store().notifications().add(c, recipient, at, severity, title, body,
                ctx.now().minus(KEEP_FOR)));
    }

    /** The recipient's newest {@code limit} notifications shown before {@code before}, newest first. */
    public List<Notification> before(String recipient, Instant before, int limit) {
        return ctx.store().inTransaction(c -> ctx.store().notifications().recent(c, recipient, limit)).stream()
                .filter(n -> n.at().isBefore(before)).toList();
    }

    public void markAllRead(String recipient) {
        ctx.store().update(c -> ctx.store().notifications().markAllRead(c, recipient, ctx.now()));
    }
}
