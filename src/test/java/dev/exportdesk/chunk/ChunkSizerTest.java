package dev.exportdesk.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.contract.ChunkLimits;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ChunkSizerTest {
    @Test
    void followsTheMeasuredRateTowardTheTargetTimeWithinTheLimits() {
        ChunkSizer sizer = new ChunkSizer(new ChunkLimits(1_000_000, 1L << 30, Duration.ofSeconds(2)));
        assertThat(sizer.rowsForNextChunk()).isEqualTo(10_000);
        // 100k rows/s: ideal is 200k rows per 2 s chunk, approached by at most doubling each time
        sizer.observe(10_000, Duration.ofMillis(100).toNanos());
        assertThat(sizer.rowsForNextChunk()).isEqualTo(20_000);
        for (int i = 0; i < 10; i++) {
            sizer.observe(sizer.rowsForNextChunk(), (long) (sizer.rowsForNextChunk() / 100_000.0 * 1e9));
        }
        assertThat(sizer.rowsForNextChunk()).isEqualTo(200_000);
        // the source slows down tenfold: the size halves at most per chunk
        sizer.observe(200_000, Duration.ofSeconds(20).toNanos());
        assertThat(sizer.rowsForNextChunk()).isEqualTo(100_000);
    }

    @Test
    void neverExceedsTheContractsRowOrByteLimit() {
        ChunkSizer sizer = new ChunkSizer(new ChunkLimits(700, 4096, Duration.ofSeconds(10)));
        assertThat(sizer.rowsForNextChunk()).isEqualTo(700);
        sizer.observe(700, 1_000);
        assertThat(sizer.rowsForNextChunk()).isEqualTo(700);
        assertThat(sizer.full(10, 4096)).isTrue();
        assertThat(sizer.full(699, 100)).isFalse();
    }
}
