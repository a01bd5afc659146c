package dev.exportdesk.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CanonicalValuesTest {
    private static final DateTimeFormatter REFERENCE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS");

    @Test
    void theHandWrittenTimestampFormatMatchesTheFormatterExactly() {
        Random random = new Random(7);
        for (int i = 0; i < 100_000; i++) {
            LocalDateTime t = LocalDateTime.of(random.nextInt(10_000), 1 + random.nextInt(12), 1 + random.nextInt(28),
                    random.nextInt(24), random.nextInt(60), random.nextInt(60), random.nextInt(1_000_000_000));
            assertThat(CanonicalValues.timestamp(t, false)).isEqualTo(REFERENCE.format(t));
            assertThat(CanonicalValues.timestamp(t, true)).isEqualTo(REFERENCE.format(t) + "Z");
        }
        LocalDateTime far = LocalDateTime.of(12345, 1, 1, 0, 0);
        assertThat(CanonicalValues.timestamp(far, true)).isEqualTo("+12345-01-01T00:00:00.000000Z");
    }
}
