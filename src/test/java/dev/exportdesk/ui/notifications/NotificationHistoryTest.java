package dev.exportdesk.ui.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.access.GuardedEngine;
import dev.exportdesk.access.Role;
import dev.exportdesk.access.User;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.store.NotificationRepository;
import dev.exportdesk.store.NotificationSeverity;
import dev.exportdesk.testing.SteppedClock;
import dev.exportdesk.ui.ConsoleContext;
import dev.exportdesk.ui.ConsoleFixture;
import dev.exportdesk.ui.DialogService.Severity;
import dev.exportdesk.ui.DirectTaskRunner;
import dev.exportdesk.ui.RecordingDialogs;
import dev.exportdesk.ui.RunEvents;
import dev.exportdesk.ui.runs.ExportsViewModel;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notification history on a real workspace: a failed run's notification is kept with its
 * whole reason, still there for the same user's next session (after the toast, after a restart),
 * counted unread until the history is opened; an error dialog is kept with its detail; partner and
 * source text is kept as plain text; each user sees their own; the store keeps a bounded history.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NotificationHistoryTest {
    private static final String ORDERS = "orders-to-acme";
    @TempDir
    java.nio.file.Path dir;
    private ConsoleFixture fixture;
    private final SteppedClock clock = new SteppedClock(Instant.now());
    private final RecordingDialogs toasts = new RecordingDialogs();

    @AfterEach
    void close() {
        if (fixture != null) {
            fixture.close();
        }
    }

    /** One console session of {@code user}: its history (loaded) over the toasts, and its Exports model. */
    private record Session(NotificationHistory history, ExportsViewModel exports) {
    }

    private Session session(User user) {
        EngineContext base = EngineContext.forWorkspace(fixture.workspace, Map.of(), clock, "console", millis -> { });
        GuardedEngine engine = new GuardedEngine(user, base);
        DirectTaskRunner tasks = new DirectTaskRunner();
        NotificationHistory history = new NotificationHistory(toasts, engine, tasks, clock);
        history.load();
        ConsoleContext ctx = new ConsoleContext(fixture.workspace.root(), engine, tasks, history,
                new RunEvents(Runnable::run), Runnable::run, clock);
        return new Session(history, new ExportsViewModel(ctx));
    }

    @Test
    void aFailedRunsNotificationOutlivesItsToastAndTheSession() throws Exception {
        fixture = ConsoleFixture.open(dir, 2_000);
        User opal = fixture.user("opal", Role.OPERATOR);
        // the partner's drop folder is a file now: every delivery of the run fails
        Files.writeString(fixture.drop, "not a folder");
        Session first = session(opal);
        first.exports().runNow(ORDERS);

        assertThat(toasts.notifications).as("the toast was shown as before")
                .anyMatch(n -> n.startsWith("ERROR Run failed: " + ORDERS));
        NotificationHistory.Entry kept = first.history().entries().get(0);
        assertThat(kept.severity()).isEqualTo(Severity.ERROR);
        assertThat(kept.title()).isEqualTo("Run failed: " + ORDERS);
        String reason = fixture.engine(opal).recentRuns(1).get(0).error();
        assertThat(reason).isNotBlank();
        assertThat(kept.text()).as("the whole reason, not the toast's six lines").isEqualTo(reason);
        assertThat(first.history().unreadProperty().get()).isEqualTo(1);

        // the next session (a restart): the toast is long gone, the notification is not
        clock.advance(Duration.ofMinutes(5));
        Session next = session(opal);
        assertThat(next.history().entries()).singleElement().satisfies(e -> {
            assertThat(e.title()).isEqualTo("Run failed: " + ORDERS);
            assertThat(e.text()).isEqualTo(reason);
            assertThat(e.read()).isFalse();
        });
        assertThat(next.history().unreadProperty().get()).isEqualTo(1);
        next.history().markAllRead();
        assertThat(next.history().unreadProperty().get()).isZero();
        clock.advance(Duration.ofMinutes(5));
        assertThat(session(opal).history().entries()).singleElement().satisfies(e -> assertThat(e.read()).isTrue());

        assertThat(session(fixture.user("olga", Role.OPERATOR)).history().entries()).as("each user's own").isEmpty();
    }

    @Test
    void anErrorDialogIsKeptWithItsDetailAndUntrustedTextStaysPlain() throws Exception {
        fixture = ConsoleFixture.open(dir, 0);
        Session s = session(fixture.admin);
        s.history().showError("The export of x stopped", new IllegalStateException("source: refused"));
        assertThat(toasts.errors).hasSize(1);
        assertThat(s.history().entries().get(0).text()).startsWith("source: refused\n\nTechnical detail:\n"
                + "java.lang.IllegalStateException: source: refused");

        s.history().notify(Severity.WARNING, "Receipt rejected\u001b[2J", "partner says \u202e<b>ok</b>\u0007");
        NotificationHistory.Entry e = s.history().entries().get(0);
        assertThat(e.title()).isEqualTo("Receipt rejected\uFFFD[2J");
        assertThat(e.text()).isEqualTo("partner says \uFFFD<b>ok</b>\uFFFD");
        clock.advance(Duration.ofSeconds(1));
        assertThat(session(fixture.admin).history().entries()).extracting(NotificationHistory.Entry::text)
                .first().isEqualTo("partner says \uFFFD<b>ok</b>\uFFFD");
    }

    @Test
    void theStoreKeepsTheNewest500AndNothingOlderThan30Days() throws Exception {
        fixture = ConsoleFixture.open(dir, 0);
        var store = fixture.workspace.store();
        Instant now = Instant.parse("2026-12-04T12:00:00Z");
        Instant cutOff = now.minus(Duration.ofDays(30));
        store.update(c -> store.notifications().add(c, "ada", cutOff.minusSeconds(1), NotificationSeverity.INFO,
                "old", "a month ago", cutOff.minus(Duration.ofDays(1))));
        store.update(c -> store.notifications().add(c, "bob", now, NotificationSeverity.INFO, "bob's", "", cutOff));
        for (int i = 0; i < NotificationRepository.KEEP + 5; i++) {
            int n = i;
            store.update(c -> store.notifications().add(c, "ada", now.plusSeconds(n), NotificationSeverity.ERROR,
                    "n" + n, "x".repeat(20_000), cutOff));
        }
        java.util.List<dev.exportdesk.store.Notification> kept = store.inTransaction(c -> store.notifications()
                .recent(c, "ada", 10_000));
        assertThat(kept).hasSize(NotificationRepository.KEEP);
        assertThat(kept.get(0).title()).isEqualTo("n504");
        assertThat(kept.get(kept.size() - 1).title()).isEqualTo("n5");
        assertThat(kept).noneMatch(n -> n.title().equals("old"));
        assertThat(kept.get(0).body()).as("bounded").hasSizeLessThanOrEqualTo(16_000);
        java.util.List<dev.exportdesk.store.Notification> bobs = store.inTransaction(c -> store.notifications()
                .recent(c, "bob", 10));
        assertThat(bobs).as("others' untouched").hasSize(1);
    }
}
