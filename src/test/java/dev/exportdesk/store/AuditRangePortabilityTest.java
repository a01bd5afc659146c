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
 * The Audit screen's date range, asked of the database on H2 and PostgreSQL: "from" included,
 * "to" excluded, either end open, newest first, and the limit still the newest rows in the range.
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
            });
            assertThat(subjects(store, t0.minus(Duration.ofDays(7)), t0.minus(Duration.ofDays(1)), 100))
                    .as("from included, to excluded").containsExactly("d3", "d7");
            assertThat(subjects(store, t0.minus(Duration.ofDays(3)), null, 100)).as("open end")
                    .containsExactly("d0", "d1", "d3");
            assertThat(subjects(store, null, t0.minus(Duration.ofDays(3)), 100)).as("open start")
                    .containsExactly("d7", "d10");
            assertThat(subjects(store, null, t0.minus(Duration.ofDays(1)), 2)).as("the newest in the range")
                    .containsExactly("d3", "d7");
            assertThat(subjects(store, t0.plus(1, ChronoUnit.MICROS), null, 100)).isEmpty();
            List<AuditEntry> one = store.inTransaction(c -> store.audit().between(c, t0, null, 1));
            assertThat(one).singleElement().satisfies(e -> {
                assertThat(e.at()).isEqualTo(t0);
                assertThat(e.before()).isEqualTo("operator");
                assertThat(e.after()).isEqualTo("auditor");
            });
        }
    }

    private static List<String> subjects(StateStore store, Instant from, Instant to, int limit) {
        return store.inTransaction(c -> store.audit().between(c, from, to, limit)).stream()
                .map(AuditEntry::subject).toList();
    }
}
