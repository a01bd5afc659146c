package dev.exportdesk.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.exportdesk.testing.StateStores;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The key ranges of a split run at the store (V23), on both databases: claims honour the run's cap,
 * a live range is never claimed twice, an expired one is taken over with the next epoch, the old
 * claim's writes are fenced out, and chunks sealed by ranges take the run's next numbers in turn.
 */
class SegmentClaimsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void rangesAreClaimedUnderTheCapAndFencedLikeRuns(String kind) throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        try (StateStore store = StateStores.open(kind, dir, "segments")) {
            store.updateDurably(c -> {
                store.contracts().upsertPartner(c, "acme", now);
                store.sources().insert(c, new SourceRecord("shop", "jdbc:h2:mem:x", null, null, null), "t", now);
                store.contracts().addVersion(c, "orders", "acme", "shop", "{}", "a".repeat(64), null, "me", now);
                store.runs().insert(c, new RunRecord("r1", "orders", 1, 1, RunMode.FULL, RunState.CAPTURING, now, null,
                        null, null, null, null, 0, 0, 0, 0, null, null, null, now));
                store.segments().insert(c, "r1", List.of(new String[] {null, "[1]"}, new String[] {"[1]", "[2]"},
                        new String[] {"[2]", null}), 2);
            });
            Duration timeout = Duration.ofMillis(1500);
            Lease a = claim(store, "w1", timeout).orElseThrow();
            Lease b = claim(store, "w2", timeout).orElseThrow();
            assertThat(List.of(a.segment(), b.segment())).containsExactly(1, 2);
            assertThat(claim(store, "w3", timeout)).as("the cap of two").isEmpty();
            assertThat(store.inTransaction(store.segments()::held)).extracting(LeaseRow::segment)
                    .containsExactlyInAnyOrder(1, 2);

            // both seal at once: numbers 1 and 2, whichever comes first
            int n1 = store.fenced(a).inTransaction(c -> store.chunks().insertSealed(c, chunk(now), 1,
                    k -> "chunk-" + k, now));
            int n2 = store.fenced(b).inTransaction(c -> store.chunks().insertSealed(c, chunk(now), 2,
                    k -> "chunk-" + k, now));
            assertThat(List.of(n1, n2)).containsExactly(1, 2);
            List<ChunkRecord> second = store.inTransaction(c -> store.chunks().forSegment(c, "r1", 2));
            assertThat(second).extracting(ChunkRecord::fileName).containsExactly("chunk-2");

            assertThat((boolean) store.inTransaction(c -> store.segments().finish(c, b, SegmentState.CAPTURED, null,
                    now))).isTrue();
            Lease c3 = claim(store, "w2", timeout).orElseThrow();
            assertThat(c3.segment()).isEqualTo(3);

            Thread.sleep(timeout.toMillis() + 500); // w1's claim on range 1 expires unrenewed
            assertThat((boolean) store.inTransaction(c -> store.segments().renew(c, c3, store.leases().storeNow(c))))
                    .isTrue();
            Lease taken = claim(store, "w3", timeout).orElseThrow();
            assertThat(taken.segment()).isEqualTo(1);
            assertThat(taken.epoch()).isEqualTo(a.epoch() + 1);
            assertThatThrownBy(() -> store.fenced(a).inTransaction(c -> store.chunks().insertSealed(c, chunk(now), 1,
                    k -> "chunk-" + k, now))).isInstanceOf(LeaseLostException.class).hasMessageContaining("w3");
            assertThat((boolean) store.inTransaction(c -> store.segments().renew(c, a, store.leases().storeNow(c))))
                    .isFalse();
            List<ChunkRecord> all = store.inTransaction(c -> store.chunks().forRun(c, "r1"));
            assertThat(all).hasSize(2);

            List<SegmentRepository.Claim> claims = store.inTransaction(store.segments()::claims);
            assertThat(claims).filteredOn(x -> x.segment() == 1).extracting(SegmentRepository.Claim::holder)
                    .containsExactly("w1", "w3");
            assertThat(claims.stream().filter(x -> x.segment() == 1).findFirst().orElseThrow().endedAt())
                    .isAfterOrEqualTo(claims.stream().filter(x -> x.segment() == 1).findFirst().orElseThrow()
                            .expiredAt());
        }
    }

    private static Optional<Lease> claim(StateStore store, String worker, Duration timeout) {
        return store.inTransaction(c -> store.segments().claim(c, "r1", worker, timeout, store.leases().storeNow(c)));
    }

    private static ChunkRecord chunk(Instant now) {
        return new ChunkRecord("r1", 0, ChunkState.PACKAGED, null, 1, 0, 10, 10, "b".repeat(64), "c".repeat(64), "[1]",
                "[1]", ScanPhase.FORWARD, "f", 0, null, now);
    }
}
