package dev.exportdesk.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Numbers written into a row's bytes are Long.toString's text, at every edge of the digit loops. */
class RowBufferTest {
    @Test
    void longsAreWrittenAsLongToStringWritesThem() {
        long[] edges = {0, -1, 1, 9, 10, 99, 100, 101, -9, -10, -99, -100, Integer.MAX_VALUE, Integer.MIN_VALUE,
            Integer.MAX_VALUE + 1L, Integer.MIN_VALUE - 1L, 999_999_999_999L, Long.MAX_VALUE, Long.MIN_VALUE,
            Long.MIN_VALUE + 1, 1_000_000_000_000_000_000L};
        Random r = new Random(14);
        RowBuffer b = new RowBuffer();
        for (int i = 0; i < edges.length + 100_000; i++) {
            long v = i < edges.length ? edges[i] : r.nextLong() >> r.nextInt(64);
            b.reset();
            b.write('[');
            b.appendLong(v);
            b.write(']');
            assertThat(new String(Arrays.copyOf(b.array(), b.length()), StandardCharsets.US_ASCII))
                    .isEqualTo("[" + v + "]");
        }
    }
}
