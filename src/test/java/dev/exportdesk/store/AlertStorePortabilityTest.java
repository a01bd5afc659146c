package dev.exportdesk.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.testing.StateStores;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * V21 on H2 and PostgreSQL: the alert endpoint allow-list, the SMTP settings row, the outbox's
 * one-row-per-episode rule (a second enqueue adds nothing, the unique key holds), claims that only
 * one reader wins, and the observation queries, with and without a workers table.
 */
class AlertStorePortabilityTest {
    @TempDir
    Path dir;

    private static boolean flag(StateStore store, StateStore.TxWork<Boolean> work) {
        return store.inTransaction(work);
    }

    private static List<AlertOutboxRepository.Row> rows(StateStore store,
                                                        StateStore.TxWork<List<AlertOutboxRepository.Row>> work) {
        return store.inTransaction(work);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void alertTablesAndObservationsWorkTheSameOnBothDatabases(String kind) {
        Instant now = Instant.parse("2026-12-04T12:00:00Z").truncatedTo(ChronoUnit.MICROS);
        AlertEndpointRepository endpoints = new AlertEndpointRepository();
        AlertSmtpRepository smtp = new AlertSmtpRepository();
        AlertOutboxRepository outbox = new AlertOutboxRepository();
        ObservationRepository observe = new ObservationRepository();
        try (StateStore store = StateStores.open(kind, dir, "v21")) {
            store.update(c -> {
                boolean first = endpoints.add(c, "https://hooks.example.com/a", "admin", now);
                boolean again = endpoints.add(c, "https://hooks.example.com/a", "admin", now);
                assertThat(first).isTrue();
                assertThat(again).isFalse();
                smtp.set(c, new AlertSmtpRepository.Settings("mail.example.com", 587, "STARTTLS", "x@example.com",
                        null, null, "admin", now));
                smtp.set(c, new AlertSmtpRepository.Settings("mail2.example.com", 465, "TLS", "x@example.com",
                        "u", "smtp-pw", "admin", now));
            });
            assertThat(flag(store, c -> endpoints.allowed(c, "https://hooks.example.com/a"))).isTrue();
            assertThat(flag(store, c -> endpoints.allowed(c, "https://hooks.example.com/A"))).isFalse();
            assertThat(store.inTransaction(smtp::get)).map(AlertSmtpRepository.Settings::host)
                    .contains("mail2.example.com");

            assertThat(flag(store, c -> outbox.enqueue(c, "orders", "run_failure", "run r1", "WEBHOOK",
                    "run 1 of contract orders failed", now))).isTrue();
            assertThat(flag(store, c -> outbox.enqueue(c, "orders", "run_failure", "run r1", "WEBHOOK",
                    "again", now))).isFalse();
            List<AlertOutboxRepository.Row> due = store.inTransaction(c -> outbox.due(c, now, 10));
            assertThat(due).hasSize(1);
            AlertOutboxRepository.Row row = due.get(0);
            assertThat(row.summary()).isEqualTo("run 1 of contract orders failed");
            assertThat(flag(store, c -> outbox.claim(c, row, now.plusSeconds(30)))).isTrue();
            assertThat(flag(store, c -> outbox.claim(c, row, now.plusSeconds(30)))).as("stale read").isFalse();
            assertThat(rows(store, c -> outbox.due(c, now, 10))).isEmpty();
            store.update(c -> outbox.failed(c, row.id(), "connection refused", false));
            assertThat(rows(store, c -> outbox.due(c, now.plusSeconds(30), 10))).singleElement()
                    .satisfies(r -> {
                        assertThat(r.attempts()).isEqualTo(1);
                        assertThat(r.lastError()).isEqualTo("connection refused");
                    });
            store.update(c -> outbox.sent(c, row.id(), now.plusSeconds(31)));
            assertThat(rows(store, c -> outbox.recent(c, 5))).singleElement()
                    .satisfies(r -> assertThat(r.state()).isEqualTo("SENT"));

            assertThat(store.inTransaction(observe::runsByState)).isEmpty();
            assertThat(store.inTransaction(observe::shipped)).isEmpty();
            assertThat(store.inTransaction(observe::failures)).isEmpty();
            assertThat(store.inTransaction(observe::stopped)).isEmpty();
            assertThat(store.inTransaction(observe::receiptProblems)).isEmpty();
            assertThat(store.inTransaction(observe::takeovers)).isZero();
            assertThat(store.inTransaction(observe::workers)).isEmpty();
            store.update(c -> store.workers().register(c, "w1", "h", 1, now, now));
            assertThat(store.inTransaction(observe::workers)).isEqualTo(List.of(
                    new ObservationRepository.Worker("w1", now)));
        }
    }
}
