package dev.exportdesk.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.chunk.Hashing;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShippedLinesTest {

    private static byte[] hash(long n) {
        return Hashing.sha256().digest(ByteBuffer.allocate(8).putLong(n).array());
    }

    @Test
    void blocksHoldEveryLineAddedAndNoOtherWithTheirCursorSpan() {
        ShippedLines lines = new ShippedLines();
        Instant t0 = Instant.parse("2026-12-04T10:00:00Z");
        int n = ShippedLines.BLOCK_ROWS * 2 + 17;
        for (int i = 0; i < n; i++) {
            // a lookback row behind the forward rows shares the chunk: the span is a min and max
            lines.add(hash(i), i == 5 ? t0.minusSeconds(60) : t0.plusMillis(i));
        }
        List<ShippedBlock> blocks = lines.blocks();
        assertThat(blocks).extracting(ShippedBlock::rows).containsExactly(ShippedLines.BLOCK_ROWS,
                ShippedLines.BLOCK_ROWS, 17);
        assertThat(blocks.get(0).firstAt()).isEqualTo(t0.minusSeconds(60));
        assertThat(blocks.get(0).lastAt()).isEqualTo(t0.plusMillis(ShippedLines.BLOCK_ROWS - 1));
        assertThat(blocks.get(2).firstAt()).isEqualTo(t0.plusMillis(2L * ShippedLines.BLOCK_ROWS));
        List<ShippedBlock.Lookup> lookups = blocks.stream().map(ShippedBlock::lookup).toList();
        for (int i = 0; i < n + 1000; i++) {
            byte[] h = hash(i);
            long holding = lookups.stream().filter(l -> l.contains(h)).count();
            assertThat(holding).as("line %d", i).isEqualTo(i < n ? 1 : 0);
        }
    }

    @Test
    void hashesSharingTheirFirst52BitsAreToldApartByTheRest() {
        byte[] a = hash(1);
        byte[] b = a.clone();
        b[31] ^= 1; // same prefix, different hash
        byte[] c = a.clone();
        c[7] ^= 1; // differs inside the 12 bits the lookup uses for positions
        ShippedLines lines = new ShippedLines();
        Instant t = Instant.parse("2026-12-04T10:00:00Z");
        lines.add(hash(2), t);
        lines.add(b, t);
        lines.add(hash(3), t);
        ShippedBlock.Lookup lookup = lines.blocks().get(0).lookup();
        assertThat(lookup.contains(b)).isTrue();
        assertThat(lookup.contains(a)).isFalse();
        assertThat(lookup.contains(c)).isFalse();
    }

    @Test
    void anEmptyChunkHasNoBlocks() {
        assertThat(new ShippedLines().blocks()).isEmpty();
        assertThat(new ShippedLines().isEmpty()).isTrue();
    }
}
