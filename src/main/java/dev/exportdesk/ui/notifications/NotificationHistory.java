package dev.exportdesk.ui.notifications;

import dev.exportdesk.access.GuardedEngine;
import dev.exportdesk.store.Notification;
import dev.exportdesk.store.NotificationSeverity;
import dev.exportdesk.text.Text;
import dev.exportdesk.ui.DialogService;
import dev.exportdesk.ui.ErrorText;
import dev.exportdesk.ui.TaskRunner;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's notifications, kept: every toast and every error dialog the screens show goes
 * through this {@link DialogService}, which shows it as before and also keeps it, in memory for
 * the session (at once, on the UI thread) and in the state store for later sessions (in the
 * background, {@link GuardedEngine#keepNotification}). The shell's status bar opens the history
 * and shows how many are unread. Texts quote source errors and partner files: they are cleaned of
 * control and bidi characters and only ever shown as plain text. UI thread only.
 */
public final class NotificationHistory implements DialogService {
    /** Entries shown at most (the store keeps as many per user). */
    public static final int LIMIT = dev.exportdesk.store.NotificationRepository.KEEP;
    private static final Logger LOG = LoggerFactory.getLogger(NotificationHistory.class);
    private final DialogService shown;
    private final GuardedEngine engine;
    private final TaskRunner tasks;
    private final Clock clock;
    private final Instant sessionStart;
    private final ObservableList<Entry> entries = FXCollections.observableArrayList();
    private final ReadOnlyIntegerWrapper unread = new ReadOnlyIntegerWrapper();

    /** One kept notification, newest first in {@link #entries()}. */
    public record Entry(Instant at, Severity severity, String title, String text, boolean read) {
        Entry markedRead() {
            return new Entry(at, severity, title, text, true);
        }
    }

    public NotificationHistory(DialogService shown, GuardedEngine engine, TaskRunner tasks, Clock clock) {
        this.shown = shown;
        this.engine = engine;
        this.tasks = tasks;
        this.clock = clock;
        this.sessionStart = clock.instant();
    }

    /** Reads the earlier sessions' notifications (once, at the shell's start) below this session's. */
    public void load() {
        tasks.run(() -> engine.notificationsBefore(sessionStart, LIMIT), earlier -> {
            entries.addAll(earlier.stream().map(NotificationHistory::entry).toList());
            trim();
            countUnread();
        }, e -> LOG.warn("notification history not read: {}", e.toString()));
    }

    private static Entry entry(Notification n) {
        return new Entry(n.at(), Severity.valueOf(n.severity().name()), n.title(), n.body(), n.readAt() != null);
    }

    @Override
    public void notify(Severity severity, String title, String text) {
        keep(severity, title, text == null ? "" : text);
        shown.notify(severity, title, text);
    }

    /** The dialog as before; the history keeps the error in words and its technical detail. */
    @Override
    public void showError(String title, Throwable error) {
        keep(Severity.ERROR, title, ErrorText.summary(error) + "\n\nTechnical detail:\n" + ErrorText.detail(error));
        shown.showError(title, error);
    }

    private void keep(Severity severity, String title, String text) {
        Instant at = clock.instant();
        String safeTitle = Text.safe(title);
        String safeText = Text.safeMultiline(text);
        entries.add(0, new Entry(at, severity, safeTitle, safeText, false));
        trim();
        countUnread();
        tasks.run(() -> engine.keepNotification(at, NotificationSeverity.valueOf(severity.name()), safeTitle, safeText),
                id -> { }, e -> LOG.warn("notification not kept in the store: {}", e.toString()));
    }

    private void trim() {
        if (entries.size() > LIMIT) {
            entries.remove(LIMIT, entries.size());
        }
    }

    /** The history was opened: everything in it counts as read, here and in the store. */
    public void markAllRead() {
        if (unread.get() == 0) {
            return;
        }
        List<Entry> read = entries.stream().map(e -> e.read() ? e : e.markedRead()).toList();
        entries.setAll(read);
        countUnread();
        tasks.run(() -> {
            engine.markNotificationsRead();
            return null;
        }, done -> { }, e -> LOG.warn("notifications not marked read: {}", e.toString()));
    }

    private void countUnread() {
        unread.set((int) entries.stream().filter(e -> !e.read()).count());
    }

    /** Newest first: this session's, then earlier sessions' (at most {@link #LIMIT}). */
    public ObservableList<Entry> entries() {
        return entries;
    }

    public ReadOnlyIntegerProperty unreadProperty() {
        return unread.getReadOnlyProperty();
    }

    /** Text a person asked to read in full (Details…): already shown or kept where it came from. */
    @Override
    public void showText(String title, String text) {
        shown.showText(title, text);
    }

    @Override
    public boolean confirm(String title, String question) {
        return shown.confirm(title, question);
    }

    @Override
    public Optional<String> askText(String title, String question, int maxLength) {
        return shown.askText(title, question, maxLength);
    }

    @Override
    public Optional<Path> chooseFileToOpen(String title, String extensionDescription, String pattern) {
        return shown.chooseFileToOpen(title, extensionDescription, pattern);
    }

    @Override
    public Optional<Path> chooseFileToSave(String title, String initialName) {
        return shown.chooseFileToSave(title, initialName);
    }

    @Override
    public void openLocation(Path folder) {
        shown.openLocation(folder);
    }
}
