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
 * The Audit screen's filter, asked of the database on H2 and PostgreSQL: "from" included, "to"
 * excluded, either end open, with actor and action; newest first, the limit the newest in the range.
 */
class AuditRangePortabilityTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void theRangeIsAskedOfTheStore(String kind) {
        Instant t0 = Instant.parse("2025-03-10T12:00:00Z");
        try (StateStore store = StateStores.open(kind, dir, "auditrange")) {
            store.updateDurably(c -> {
                for (int daysAgo : new int[] {10, 7, 3, 1, 0}) {
                    store.audit().append(c, t0.minus(Duration.ofDays(daysAgo)), "admin", "user.role", "d" + daysAgo,
                            "operator", "auditor");
                }
                store.audit().append(c, t0.minus(Duration.ofDays(5)), "eve", "user.role", "eve", null, null);
                store.audit().append(c, t0.minus(Duration.ofDays(5)), "admin", "user.disable", "bob", null, null);
            });
            assertThat(subjects(store, t0.minus(Duration.ofDays(7)), t0.minus(Duration.ofDays(1)), 100))
                    .as("from included, to excluded").containsExactly("bob", "eve", "d3", "d7");
            assertThat(subjects(store, t0.minus(Duration.ofDays(3)), null, 100)).as("open end")
                    .containsExactly("d0", "d1", "d3");
            AuditFilter adminRoles = new AuditFilter(t0.minus(Duration.ofDays(7)), t0.minus(Duration.ofDays(1)),
                    "admin", "user.role");
            List<AuditEntry> byActorAndAction = store.inTransaction(c -> store.audit().matching(c, adminRoles, 100));
            assertThat(byActorAndAction).as("the range with who and what").extracting(AuditEntry::subject)
                    .containsExactly("d3", "d7");
            assertThat(subjects(store, null, null, 100)).hasSize(7);
            assertThat(subjects(store, null, t0.minus(Duration.ofDays(3)), 100)).as("open start")
                    .containsExactly("bob", "eve", "d7", "d10");
            assertThat(subjects(store, null, t0.minus(Duration.ofDays(1)), 3)).as("the newest in the range")
                    .containsExactly("bob", "eve", "d3");
            assertThat(subjects(store, t0.plus(1, ChronoUnit.MICROS), null, 100)).isEmpty();
            List<AuditEntry> one = store.inTransaction(c -> store.audit().matching(c, range(t0, null), 1));
            assertThat(one).singleElement().satisfies(e -> {
                assertThat(e.at()).isEqualTo(t0);
                assertThat(e.before()).isEqualTo("operator");
                assertThat(e.after()).isEqualTo("auditor");
            });
        }
    }

    private static AuditFilter range(Instant from, Instant to) {
        return new AuditFilter(from, to, null, null);
    }

    private static List<String> subjects(StateStore store, Instant from, Instant to, int limit) {
        return store.inTransaction(c -> store.audit().matching(c, range(from, to), limit)).stream()
                .map(AuditEntry::subject).toList();
    }
}
