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
 * V26 on H2 and PostgreSQL: a version's exported columns stored at import and at its first run (a
 * pin never overwrites them), and the version the engine adds for columns the table gained — same
 * body, new fingerprint, columns and notice — read back as written.
 */
class SchemaVersionsPortabilityTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void schemaColumnsAndNoticesRoundTripOnBothDatabases(String kind) {
        Instant now = Instant.parse("2026-12-05T08:00:00Z").truncatedTo(ChronoUnit.MICROS);
        String columns = "[{\"name\":\"id\",\"type\":\"int8\",\"kind\":\"INTEGER\",\"nullable\":false}]";
        String grown = "[{\"name\":\"id\",\"type\":\"int8\",\"kind\":\"INTEGER\",\"nullable\":false},"
                + "{\"name\":\"note\",\"type\":\"text\",\"kind\":\"STRING\",\"nullable\":true}]";
        try (StateStore store = StateStores.open(kind, dir, "v26")) {
            store.updateDurably(c -> {
                store.contracts().upsertPartner(c, "acme", now);
                store.sources().insert(c, new SourceRecord("shop", "jdbc:h2:mem:x", null, null, null), "test", now);
                store.contracts().addVersion(c, "offline", "acme", "shop", "{}", "a".repeat(64), null, "me", now);
                store.contracts().pinSchemaFingerprint(c, "offline", 1, "f".repeat(64), columns);
                store.contracts().pinSchemaFingerprint(c, "offline", 1, "e".repeat(64), "[]");
                ContractVersion v1 = store.contracts().addVersion(c, "orders", "acme", "shop", "{\"x\":1}",
                        "b".repeat(64), "c".repeat(64), columns, "me", now);
                store.contracts().addSchemaVersion(c, v1, "acme", "shop", "d".repeat(64), grown,
                        "{\"policy\":\"additive\"}", "worker-1", now.plusSeconds(1));
            });
            ContractVersion pinned = store.inTransaction(c -> store.contracts().version(c, "offline", 1)).orElseThrow();
            assertThat(pinned.schemaFingerprint()).isEqualTo("f".repeat(64));
            assertThat(pinned.schemaColumns()).isEqualTo(columns);
            assertThat(pinned.schemaChange()).isNull();
            List<ContractVersion> versions = store.inTransaction(c -> store.contracts().versions(c, "orders"));
            assertThat(versions).hasSize(2);
            assertThat(versions.get(0).schemaColumns()).isEqualTo(columns);
            assertThat(versions.get(0).schemaChange()).isNull();
            ContractVersion added = versions.get(1);
            assertThat(added.body()).isEqualTo("{\"x\":1}");
            assertThat(added.bodySha256()).isEqualTo("b".repeat(64));
            assertThat(added.schemaFingerprint()).isEqualTo("d".repeat(64));
            assertThat(added.schemaColumns()).isEqualTo(grown);
            assertThat(added.schemaChange()).isEqualTo("{\"policy\":\"additive\"}");
            assertThat(added.createdBy()).isEqualTo("worker-1");
            assertThat(store.inTransaction(c -> store.contracts().find(c, "orders")).orElseThrow().currentVersion())
                    .isEqualTo(2);
        }
    }
}
