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
 * The state store's migrations and repository SQL run unchanged on H2 and PostgreSQL, so a shared
 * PostgreSQL store for several workers is a configuration change, not a rewrite.
 */
class StateStorePortabilityTest {
    @TempDir
    Path dir;

    private StateStore open(String kind) {
        return StateStores.open(kind, dir, "state");
    }

    private static byte[] hash(int n) {
        return dev.exportdesk.chunk.Hashing.sha256().digest(("line " + n).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static String hex(int n) {
        return java.util.HexFormat.of().formatHex(hash(n));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void repositoriesWorkTheSameOnBothDatabases(String kind) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        try (StateStore store = open(kind)) {
            store.updateDurably(c -> {
                store.contracts().upsertPartner(c, "acme", now);
                store.contracts().upsertPartner(c, "acme", now);
                store.sources().insert(c, new dev.exportdesk.store.SourceRecord("shop", "jdbc:h2:mem:x", null, null, null), "test", now);
                store.contracts().addVersion(c, "orders", "acme", "shop", "{}", "a".repeat(64), null, "me", now);
                store.contracts().addVersion(c, "orders", "acme", "shop", "{ }", "b".repeat(64), null, "me", now);
                store.runs().insert(c, new RunRecord("r1", "orders", 2, 1, RunMode.INCREMENTAL, RunState.PLANNED,
                        now, null,
                        null, null, null, null, 0, 0, 0, 0, null, null, null, now));
                store.chunks().plan(c, "r1", 1, "chunk-000001.jsonl", now);
                store.chunks().seal(c, new ChunkRecord("r1", 1, ChunkState.PACKAGED, "chunk-000001.jsonl", 10, 1,
                        100, 200, "c".repeat(64), "d".repeat(64), "[1]", "[10]", ScanPhase.FORWARD, "f", 0, null, now),
                        now);
                ShippedLines old = new ShippedLines();
                old.add(hash(1), now.minusSeconds(3600));
                ShippedLines recent = new ShippedLines();
                recent.add(hash(2), now.minusSeconds(30));
                recent.add(hash(3), now);
                store.lookbackIndex().record(c, "orders", "r1", 1, old.blocks());
                store.lookbackIndex().record(c, "orders", "r1", 1, recent.blocks());
                store.checkpoints().advance(c, new Checkpoint("orders", "[10]", "\"x\"", 1, "r1", "f".repeat(64), now),
                        now);
                store.runs().complete(c, "r1", 10, 100, 1, "f".repeat(64), now);
                store.audit().append(c, now, "me", "test", "orders", null, "{}");
            });
            store.update(c -> {
                assertThat(store.contracts().find(c, "orders").orElseThrow().currentVersion()).isEqualTo(2);
                assertThat(store.contracts().versions(c, "orders")).hasSize(2);
                assertThat(store.runs().find(c, "r1").orElseThrow().state()).isEqualTo(RunState.COMPLETED);
                assertThat(store.runs().findByPrefix(c, "r")).hasSize(1);
                ChunkRecord chunk = store.chunks().forRun(c, "r1").get(0);
                assertThat(chunk.state()).isEqualTo(ChunkState.PACKAGED);
                assertThat(chunk.cursorTo()).isEqualTo("[10]");
                List<LookbackIndex.Span> spans = store.lookbackIndex().spans(c, "orders", now.minusSeconds(60));
                assertThat(spans).extracting(LookbackIndex.Span::firstAt, LookbackIndex.Span::lastAt)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple(now.minusSeconds(30), now));
                ShippedBlock.Lookup block = store.lookbackIndex().block(c, spans.get(0)).lookup();
                assertThat(block.contains(hash(3))).isTrue();
                assertThat(block.contains(hash(1))).isFalse();
                assertThat(store.lookbackIndex().shippedAmong(c, "orders", java.util.Set.of(hex(1), hex(3), hex(4))))
                        .containsExactlyInAnyOrder(hex(1), hex(3));
                assertThat(store.lookbackIndex().prune(c, "orders", now.minusSeconds(60))).isEqualTo(1);
                assertThat(store.lookbackIndex().size(c, "orders")).isEqualTo(2);
                assertThat(store.checkpoints().get(c, "orders").lastSequence()).isEqualTo(1);
                assertThat(store.audit().recent(c, 5)).hasSize(1);
            });
        }
    }
}
