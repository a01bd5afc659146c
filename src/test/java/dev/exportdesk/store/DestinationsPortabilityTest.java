package dev.exportdesk.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.store.DestinationRepository.DestinationRecord;
import dev.exportdesk.testing.StateStores;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** V18 on H2 and PostgreSQL: a named destination inserted, changed, listed and removed. */
class DestinationsPortabilityTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void namedDestinationsWorkTheSameOnBothDatabases(String kind) {
        Instant now = Instant.parse("2026-12-04T12:00:00Z").truncatedTo(ChronoUnit.MICROS);
        String spec = "{\"type\":\"sftp\",\"host\":\"h\",\"port\":22,\"user\":\"u\",\"path\":\"/in\","
                + "\"password_secret\":\"destination.acme.password\"}";
        try (StateStore store = StateStores.open(kind, dir, "v18")) {
            DestinationRepository d = store.destinations();
            store.updateDurably(c -> {
                d.insert(c, "acme", "{\"type\":\"folder\",\"path\":\"/x\"}", "alice", now);
                d.insert(c, "bob", "{\"type\":\"folder\",\"path\":\"/y\"}", "alice", now);
                d.update(c, "acme", spec, "carol", now.plusSeconds(5));
                d.delete(c, "bob");
            });
            java.util.List<DestinationRecord> all = store.inTransaction(d::list);
            assertThat(all).containsExactly(new DestinationRecord("acme", spec, "carol", now.plusSeconds(5)));
            java.util.Optional<DestinationRecord> bob = store.inTransaction(c -> d.find(c, "bob"));
            assertThat(bob).isEmpty();
        }
    }
}
