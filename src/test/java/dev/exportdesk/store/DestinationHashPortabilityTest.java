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
 * V9 on H2 and PostgreSQL: a delivery check keeps the hash it measured at the destination in its
 * own column, a check that measured none keeps null, and the chunk page reads the latest one.
 */
class DestinationHashPortabilityTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aCheckKeepsTheHashItMeasured(String kind) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        String measured = "a".repeat(64);
        try (StateStore store = StateStores.open(kind, dir, "state")) {
            store.updateDurably(c -> {
                store.contracts().upsertPartner(c, "acme", now);
                store.sources().insert(c, new dev.exportdesk.store.SourceRecord("shop", "jdbc:h2:mem:x", null, null, null), "test", now);
                store.contracts().addVersion(c, "orders", "acme", "shop", "{}", "b".repeat(64), null, "me", now);
                store.runs().insert(c, new RunRecord("r1", "orders", 1, 1, RunMode.FULL, RunState.PLANNED, now, null,
                        null, null, null, null, 0, 0, 0, 0, null, null, null, now));
                for (int seq = 1; seq <= 2; seq++) {
                    String file = "chunk-00000" + seq + ".jsonl.zst";
                    store.chunks().plan(c, "r1", seq, file, now);
                    store.chunks().seal(c, new ChunkRecord("r1", seq, ChunkState.PACKAGED, file, 10, 0, 100, 200,
                            "c".repeat(64), "d".repeat(64), "[1]", "[10]", ScanPhase.FORWARD, "f", 0, null, now), now);
                }
                store.verifications().add(c, new Verification("r1", 1, "delivery", "mismatch", "chunk-000001: "
                        + "does not decompress", now, measured));
                store.verifications().add(c, new Verification("r1", 2, "delivery", "mismatch", "chunk-000002: "
                        + "missing at the destination", now, null));
            });
            List<Verification> checks = store.inTransaction(c -> store.verifications().forRun(c, "r1"));
            assertThat(checks).extracting(Verification::destinationSha256).containsExactly(measured, null);
            List<ChunkPageQuery.ChunkWithCheck> page = store.inTransaction(c -> new ChunkPageQuery().page(c, "r1", 0,
                    10));
            assertThat(page).extracting(ChunkPageQuery.ChunkWithCheck::destinationSha256)
                    .containsExactly(measured, null);
        }
    }
}
