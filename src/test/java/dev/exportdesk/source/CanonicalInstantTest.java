package dev.exportdesk.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written reading of canonical timestamps agrees with java.time's parsers. */
class CanonicalInstantTest {

    @Test
    void canonicalTimestampsReadBackAsTheInstantsTheyWereWrittenFrom() {
        Random random = new Random(14);
        for (int i = 0; i < 20_000; i++) {
            // years 0001–9999, microsecond precision, both sides of the epoch
            Instant t = Instant.ofEpochSecond(-62_000_000_000L + (long) (random.nextDouble() * 315_000_000_000L),
                    random.nextInt(1_000_000) * 1000L);
            for (ValueKind kind : new ValueKind[] {ValueKind.TIMESTAMP, ValueKind.TIMESTAMP_TZ}) {
                Object canonical = CanonicalValues.fromInstant(t, kind);
                assertThat(CanonicalValues.instantOf(canonical, kind)).as("%s %s", kind, canonical).isEqualTo(t);
                assertThat(viaArrays(canonical, kind)).as("%s %s into arrays", kind, canonical).isEqualTo(t);
            }
        }
    }

    @Test
    void otherShapesAreLeftToTheParsers() {
        assertThat(CanonicalValues.instantOf("2026-12-04T10:15:30Z", ValueKind.TIMESTAMP_TZ))
                .isEqualTo(OffsetDateTime.parse("2026-12-04T10:15:30Z").toInstant());
        assertThat(CanonicalValues.instantOf("2026-12-04T10:15:30.123456+02:00", ValueKind.TIMESTAMP_TZ))
                .isEqualTo(Instant.parse("2026-12-04T08:15:30.123456Z"));
        assertThat(CanonicalValues.instantOf("2024-02-29T23:59:59.999999", ValueKind.TIMESTAMP))
                .isEqualTo(LocalDateTime.parse("2024-02-29T23:59:59.999999").toInstant(ZoneOffset.UTC));
        assertThat(CanonicalValues.instantOf("2026-12-04", ValueKind.DATE))
                .isEqualTo(Instant.parse("2026-12-04T00:00:00Z"));
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        assertThat(CanonicalValues.instantOf(CanonicalValues.fromInstant(now, ValueKind.TIMESTAMP_TZ),
                ValueKind.TIMESTAMP_TZ)).isEqualTo(now);
    }

    @Test
    void theArrayFormReadsTheOtherShapesAsTheInstantFormDoes() {
        Object[][] values = {
                {"2026-12-04T10:15:30Z", ValueKind.TIMESTAMP_TZ},
                {"2026-12-04T10:15:30.123456+02:00", ValueKind.TIMESTAMP_TZ},
                {"2026-12-04", ValueKind.DATE},
                {CanonicalValues.fromInstant(Instant.parse("+12026-01-02T03:04:05.000006Z"), ValueKind.TIMESTAMP_TZ),
                        ValueKind.TIMESTAMP_TZ},
                {CanonicalValues.fromInstant(Instant.parse("-0044-03-15T12:00:00Z"), ValueKind.TIMESTAMP),
                        ValueKind.TIMESTAMP},
                {"1969-12-31T23:59:59.999999", ValueKind.TIMESTAMP}};
        for (Object[] v : values) {
            assertThat(viaArrays(v[0], (ValueKind) v[1])).as("%s", v[0])
                    .isEqualTo(CanonicalValues.instantOf(v[0], (ValueKind) v[1]));
        }
        assertThat(viaArrays("1969-12-31T23:59:59.999999", ValueKind.TIMESTAMP))
                .isEqualTo(Instant.parse("1969-12-31T23:59:59.999999Z"));
    }

    /** Reads into slot 1 of two, as a batch does for its second row. */
    private static Instant viaArrays(Object canonical, ValueKind kind) {
        long[] seconds = {-1, -1};
        int[] nanos = {-1, -1};
        CanonicalValues.instantOf(canonical, kind, seconds, nanos, 1);
        assertThat(seconds[0]).isEqualTo(-1);
        return Instant.ofEpochSecond(seconds[1], nanos[1]);
    }

    @Test
    void impossibleDatesAreRefusedAsTheParsersRefuseThem() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                CanonicalValues.instantOf("2026-04-31T00:00:00.000000Z", ValueKind.TIMESTAMP_TZ))
                .isInstanceOf(java.time.DateTimeException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> viaArrays("2026-04-31T00:00:00.000000Z",
                ValueKind.TIMESTAMP_TZ)).isInstanceOf(java.time.DateTimeException.class);
    }
}
