package dev.exportdesk.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.chunk.Hashing;
import dev.exportdesk.testing.StateStores;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A chunk's blocks are written in several batches (a batch holds a copy of each block): all arrive, none twice. */
class LookbackIndexTest {
    @TempDir
    Path dir;

    private static byte[] hash(long n) {
        return Hashing.sha256().digest(ByteBuffer.allocate(8).putLong(n).array());
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void everyBlockOfAChunkIsStoredOnceWhateverTheBatches(String kind) {
        Instant t0 = Instant.parse("2026-12-05T10:00:00Z");
        int blocks = 19; // two full batches of 8 and a part
        ShippedLines lines = new ShippedLines();
        for (int i = 0; i < blocks * ShippedLines.BLOCK_ROWS; i++) {
            lines.add(hash(i), t0.plusMillis(i));
        }
        try (StateStore store = StateStores.open(kind, dir, "lookback")) {
            store.update(c -> store.lookbackIndex().record(c, "orders", "r1", 1, lines.blocks()));
            List<LookbackIndex.Span> spans = store.inTransaction(c -> store.lookbackIndex().spans(c, "orders", t0));
            assertThat(spans).hasSize(blocks);
            List<ShippedBlock.Lookup> lookups = new ArrayList<>();
            for (LookbackIndex.Span span : spans) {
                lookups.add(store.inTransaction(c -> store.lookbackIndex().block(c, span)).lookup());
            }
            for (int i = 0; i < blocks * ShippedLines.BLOCK_ROWS; i += 97) {
                byte[] h = hash(i);
                assertThat(lookups.stream().filter(l -> l.contains(h)).count()).as("line %d", i).isEqualTo(1);
            }
            // a chunk captured again leaves its own blocks out
            List<LookbackIndex.Span> others = store.inTransaction(c -> store.lookbackIndex().spans(c, "orders", t0, "r1", 1));
            assertThat(others).isEmpty();
        }
    }
}
