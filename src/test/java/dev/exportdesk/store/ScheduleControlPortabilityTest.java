package dev.exportdesk.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.testing.StateStores;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * V17 on H2 and PostgreSQL: a contract's schedule state set, replaced and read back; kept
 * notifications with their generated ids, newest first, pruned to the newest KEEP per user and to
 * the cut-off, marked read.
 */
class ScheduleControlPortabilityTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void scheduleStatesAndNotificationsWorkTheSameOnBothDatabases(String kind) {
        Instant now = Instant.parse("2026-12-04T12:00:00Z").truncatedTo(ChronoUnit.MICROS);
        try (StateStore store = StateStores.open(kind, dir, "v17")) {
            store.updateDurably(c -> {
                store.contracts().upsertPartner(c, "acme", now);
                store.sources().insert(c, new SourceRecord("shop", "jdbc:h2:mem:x", null, null, null), "test", now);
                store.contracts().addVersion(c, "orders", "acme", "shop", "{}", "a".repeat(64), null, "me", now);
                store.scheduleStates().set(c, new ScheduleControl("orders", ScheduleState.PAUSED, now, "alice",
                        "partner migrating"));
            });
            ScheduleControl paused = store.inTransaction(c -> store.scheduleStates().find(c, "orders")).orElseThrow();
            assertThat(paused).isEqualTo(new ScheduleControl("orders", ScheduleState.PAUSED, now, "alice",
                    "partner migrating"));
            store.update(c -> store.scheduleStates().set(c, new ScheduleControl("orders", ScheduleState.ENABLED,
                    now.plusSeconds(60), "bob", null)));
            java.util.Map<String, ScheduleControl> all = store.inTransaction(c -> store.scheduleStates().all(c));
            assertThat(all).containsOnlyKeys("orders")
                    .hasEntrySatisfying("orders", s -> {
                        assertThat(s.paused()).isFalse();
                        assertThat(s.changedBy()).isEqualTo("bob");
                        assertThat(s.reason()).isNull();
                    });

            Instant cutOff = now.minus(Duration.ofDays(30));
            store.update(c -> {
                store.notifications().add(c, "ada", cutOff.minusSeconds(1), NotificationSeverity.INFO, "old", "",
                        cutOff.minusSeconds(10));
                for (int i = 0; i < NotificationRepository.KEEP + 2; i++) {
                    store.notifications().add(c, "ada", now.plusSeconds(i), NotificationSeverity.WARNING, "n" + i,
                            "text " + i, cutOff);
                }
            });
            List<Notification> kept = store.inTransaction(c -> store.notifications().recent(c, "ada", 10_000));
            assertThat(kept).hasSize(NotificationRepository.KEEP);
            assertThat(kept.get(0).title()).isEqualTo("n" + (NotificationRepository.KEEP + 1));
            assertThat(kept.get(0).id()).isGreaterThan(kept.get(1).id());
            assertThat(kept.get(0).severity()).isEqualTo(NotificationSeverity.WARNING);
            assertThat(kept).allSatisfy(n -> assertThat(n.readAt()).isNull()).noneMatch(n -> n.title().equals("old"));
            store.update(c -> store.notifications().markAllRead(c, "ada", now));
            List<Notification> read = store.inTransaction(c -> store.notifications().recent(c, "ada", 5));
            assertThat(read).allSatisfy(n -> assertThat(n.readAt()).isEqualTo(now));
        }
    }
}
