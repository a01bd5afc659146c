package dev.exportdesk.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.exportdesk.testing.StateStores;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Leases and fencing at the store: each claim raises the epoch, a live lease cannot be claimed, an
 * expired one can, and once it is, every transaction of the old holder through its fenced view fails
 * before writing anything, while the new holder's succeed. On both databases (V20 runs on both).
 */
class LeaseFencingTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aTakeoverFencesTheOldHolderOut(String kind) throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        try (StateStore store = StateStores.open(kind, dir, "lease")) {
            store.updateDurably(c -> {
                store.contracts().upsertPartner(c, "acme", now);
                store.sources().insert(c, new SourceRecord("shop", "jdbc:h2:mem:x", null, null, null), "t", now);
                store.contracts().addVersion(c, "orders", "acme", "shop", "{}", "a".repeat(64), null, "me", now);
                store.runs().insert(c, new RunRecord("r1", "orders", 1, 1, RunMode.INCREMENTAL, RunState.PLANNED,
                        now, null,
                        null, null, null, null, 0, 0, 0, 0, null, null, null, now));
            });
            Duration timeout = Duration.ofMillis(1500);
            Lease first = store.inTransaction(c -> {
                assertThat(store.leases().lockRun(c, "r1")).as("the run's row lock").isTrue();
                return store.leases().claim(c, "r1", "w1", timeout, LeaseHow.SCHEDULE, false).orElseThrow().lease();
            });
            assertThat(first.epoch()).isEqualTo(1);
            Optional<LeaseRepository.Claimed> whileLive = store.inTransaction(c -> store.leases().claim(c, "r1", "w2",
                    timeout, LeaseHow.TAKEOVER, false));
            assertThat(whileLive).as("a live lease is not claimed").isEmpty();
            StateStore stale = store.fenced(first);
            stale.update(c -> store.runs().heartbeat(c, "r1", now.plusSeconds(1)));

            Thread.sleep(timeout.toMillis() + 500);
            List<String> takeable = store.inTransaction(c -> store.leases().takeable(c, store.leases().storeNow(c), 5));
            assertThat(takeable).containsExactly("r1");
            Lease second = store.inTransaction(c -> store.leases().claim(c, "r1", "w2", timeout, LeaseHow.TAKEOVER,
                    false)).orElseThrow().lease();
            assertThat(second.epoch()).isEqualTo(2);

            RunRecord before = store.inTransaction(c -> store.runs().find(c, "r1")).orElseThrow();
            assertThatThrownBy(() -> stale.update(c -> store.runs().updateState(c, "r1", RunState.FAILED, "stale",
                    now))).isInstanceOf(LeaseLostException.class).hasMessageContaining("w2")
                    .hasMessageContaining("epoch 2");
            assertThat((boolean) store.inTransaction(c -> store.leases().renew(c, first))).isFalse();
            assertThat((boolean) store.inTransaction(c -> store.leases().release(c, first, LeaseState.RELEASED,
                    Duration.ZERO))).isFalse();
            assertThat(store.inTransaction(c -> store.runs().find(c, "r1")).orElseThrow()).isEqualTo(before);

            store.fenced(second).update(c -> store.runs().updateState(c, "r1", RunState.CAPTURING, null, now));
            assertThat((boolean) store.inTransaction(c -> store.leases().renew(c, second))).isTrue();
            assertThat((boolean) store.inTransaction(c -> store.leases().release(c, second, LeaseState.PARKED,
                    Duration.ZERO))).isTrue();
            assertThatThrownBy(() -> store.fenced(second).update(c -> store.runs().heartbeat(c, "r1", now)))
                    .as("a released lease writes nothing either").isInstanceOf(LeaseLostException.class);

            List<LeaseHistoryRow> history = store.inTransaction(store.leases()::history);
            assertThat(history).extracting(LeaseHistoryRow::epoch, LeaseHistoryRow::holder,
                    LeaseHistoryRow::endReason).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(1L, "w1", "TAKEN_OVER"),
                    org.assertj.core.groups.Tuple.tuple(2L, "w2", "PARKED"));
            assertThat(history.get(1).claimedAt()).isAfterOrEqualTo(history.get(0).expiredAt());
        }
    }

    /**
     * Ending a silent worker's expired lease is recorded as a takeover whichever way the claiming
     * worker found the run (its schedule, an operator's request, its look for takeovers), since
     * monitoring counts takeovers; a parked or released run claimed again keeps the way it was found.
     */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void claimingASilentWorkersRunIsATakeoverHoweverItWasFound(String kind) throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        try (StateStore store = StateStores.open(kind, dir, "how")) {
            List<String> ids = List.of("silent", "parked", "released");
            store.updateDurably(c -> {
                store.contracts().upsertPartner(c, "acme", now);
                store.sources().insert(c, new SourceRecord("shop", "jdbc:h2:mem:x", null, null, null), "t", now);
                store.contracts().addVersion(c, "orders", "acme", "shop", "{}", "a".repeat(64), null, "me", now);
                for (String id : ids) {
                    store.runs().insert(c, new RunRecord(id, "orders", 1, ids.indexOf(id) + 1, RunMode.INCREMENTAL,
                            RunState.PLANNED, now, null, null, null, null, null, 0, 0, 0, 0, null, null, null, now));
                }
            });
            Duration shortLease = Duration.ofMillis(500);
            Map<String, Lease> first = new java.util.HashMap<>();
            for (String id : ids) {
                first.put(id, store.inTransaction(c -> store.leases().claim(c, id, "w1", shortLease, LeaseHow.SCHEDULE,
                        false)).orElseThrow().lease());
            }
            assertThat((boolean) store.inTransaction(c -> store.leases().release(c, first.get("parked"),
                    LeaseState.PARKED, Duration.ZERO))).isTrue();
            assertThat((boolean) store.inTransaction(c -> store.leases().release(c, first.get("released"),
                    LeaseState.RELEASED, Duration.ZERO))).isTrue();
            Thread.sleep(shortLease.toMillis() + 500); // w1 went silent: its lease on "silent" expired

            Map<String, LeaseHow> recorded = new java.util.HashMap<>();
            recorded.put("silent", store.inTransaction(c -> store.leases().claim(c, "silent", "w2", shortLease,
                    LeaseHow.SCHEDULE, false)).orElseThrow().how());
            recorded.put("parked", store.inTransaction(c -> store.leases().claim(c, "parked", "w2", shortLease,
                    LeaseHow.SCHEDULE, false)).orElseThrow().how());
            recorded.put("released", store.inTransaction(c -> store.leases().claim(c, "released", "w2", shortLease,
                    LeaseHow.REQUEST, true)).orElseThrow().how());
            assertThat(recorded).containsExactlyInAnyOrderEntriesOf(Map.of("silent", LeaseHow.TAKEOVER,
                    "parked", LeaseHow.SCHEDULE, "released", LeaseHow.REQUEST));
            assertThat(store.inTransaction(store.leases()::history)).filteredOn(h -> h.epoch() == 2)
                    .extracting(LeaseHistoryRow::runId, LeaseHistoryRow::how).containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple("silent", LeaseHow.TAKEOVER),
                            org.assertj.core.groups.Tuple.tuple("parked", LeaseHow.SCHEDULE),
                            org.assertj.core.groups.Tuple.tuple("released", LeaseHow.REQUEST));
            List<LeaseTakeover> takeovers = store.inTransaction(c -> store.leases().takeovers(c, 10));
            assertThat(takeovers).extracting(LeaseTakeover::runId).as("what the console and the metrics count")
                    .containsExactly("silent");
        }
    }

    /**
     * A worker that dies between completing a run and releasing its lease leaves a held lease nobody
     * takes over; once it expired, the next look for takeovers closes it (and only it).
     */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void anExpiredLeaseOfACompletedRunIsClosed(String kind) throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        try (StateStore store = StateStores.open(kind, dir, "stale")) {
            store.updateDurably(c -> {
                store.contracts().upsertPartner(c, "acme", now);
                store.sources().insert(c, new SourceRecord("shop", "jdbc:h2:mem:x", null, null, null), "t", now);
                store.contracts().addVersion(c, "orders", "acme", "shop", "{}", "a".repeat(64), null, "me", now);
                List<String> ids = List.of("done", "live", "open");
                for (String id : ids) {
                    store.runs().insert(c, new RunRecord(id, "orders", 1, ids.indexOf(id) + 1, RunMode.INCREMENTAL,
                            RunState.PLANNED, now, null, null, null, null, null, 0, 0, 0, 0, null, null, null, now));
                }
            });
            Duration shortLease = Duration.ofMillis(500);
            Lease done = store.inTransaction(c -> store.leases().claim(c, "done", "dead", shortLease, LeaseHow.SCHEDULE,
                    false)).orElseThrow().lease();
            store.inTransaction(c -> store.leases().claim(c, "live", "alive", Duration.ofMinutes(5), LeaseHow.SCHEDULE,
                    false)).orElseThrow();
            store.inTransaction(c -> store.leases().claim(c, "open", "dead", shortLease, LeaseHow.SCHEDULE, false))
                    .orElseThrow();
            store.fenced(done).update(c -> store.runs().updateState(c, "done", RunState.COMPLETED, null, now));
            store.update(c -> store.runs().updateState(c, "live", RunState.COMPLETED, null, now));

            Thread.sleep(shortLease.toMillis() + 500);
            int closed = store.inTransaction(c -> store.leases().closeExpiredOfCompleted(c, store.leases().storeNow(c)));
            assertThat(closed).isEqualTo(1);
            List<LeaseRow> held = store.inTransaction(store.leases()::held);
            assertThat(held).extracting(LeaseRow::runId).as("a live lease, and an unfinished run's (taken over, not "
                    + "closed)").containsExactlyInAnyOrder("live", "open");
            assertThat(store.inTransaction(store.leases()::history)).filteredOn(h -> h.runId().equals("done"))
                    .extracting(LeaseHistoryRow::endReason).containsExactly("EXPIRED");
            assertThat((boolean) store.inTransaction(c -> store.leases().release(c, done, LeaseState.RELEASED,
                    Duration.ZERO))).as("the dead worker's release, had it come late").isFalse();
        }
    }
}
