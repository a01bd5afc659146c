package dev.exportdesk.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.testing.StateStores;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the schedule asks at every tick to tell whether a verification is due, on H2 and PostgreSQL:
 * whether a contract has a completed run, and when it was last verified — its latest chunk check
 * (delivery level) or latest source-level pass, whichever is later; never for another contract.
 */
class LatestVerificationPortabilityTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void theLatestCheckOrPassOfTheContractCounts(String kind) {
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MICROS);
        try (StateStore store = StateStores.open(kind, dir, "latestverif")) {
            store.updateDurably(c -> {
                store.contracts().upsertPartner(c, "acme", t0);
                store.sources().insert(c, new dev.exportdesk.store.SourceRecord("shop", "jdbc:h2:mem:x", null, null, null), "test", t0);
                for (String contract : new String[] {"orders", "customers", "idle"}) {
                    store.contracts().addVersion(c, contract, "acme", "shop", "{}", "b".repeat(64), null, "me", t0);
                }
                for (String contract : new String[] {"orders", "customers"}) {
                    String id = contract + "-1";
                    store.runs().insert(c, new RunRecord(id, contract, 1, 1, RunMode.INCREMENTAL, RunState.PLANNED, t0,
                            null, null, null, null, null, 0, 0, 0, 0, null, null, null, t0));
                    store.runs().complete(c, id, 10, 100, 1, "c".repeat(64), t0);
                }
                store.runs().insert(c, new RunRecord("idle-1", "idle", 1, 1, RunMode.INCREMENTAL, RunState.CAPTURING,
                        t0,
                        null, null, null, null, null, 0, 0, 0, 0, null, null, null, t0));
                store.verifications().add(c, new Verification("orders-1", 1, "delivery", "match", "ok",
                        t0.plusSeconds(10), null));
                store.verifications().add(c, new Verification("orders-1", 2, "delivery", "match", "ok",
                        t0.plusSeconds(30), null));
                store.reconciliations().addPass(c, new ReconciliationRepository.Pass(0, "orders", "orders-1", "deep",
                        "match", "match", 2, 10, 0, 0, 0, 0, null, t0.plusSeconds(20), t0.plusSeconds(21)));
                store.reconciliations().addPass(c, new ReconciliationRepository.Pass(0, "customers", "customers-1",
                        "deep", "match", "match", 1, 10, 0, 0, 0, 0, null, t0.plusSeconds(50), t0.plusSeconds(51)));
            });
            boolean ordersRan = store.inTransaction(c -> store.runs().hasCompleted(c, "orders"));
            boolean idleRan = store.inTransaction(c -> store.runs().hasCompleted(c, "idle"));
            Instant orders = store.inTransaction(c -> store.verifications().latestFor(c, "orders"));
            Instant customers = store.inTransaction(c -> store.verifications().latestFor(c, "customers"));
            Instant idle = store.inTransaction(c -> store.verifications().latestFor(c, "idle"));
            assertThat(ordersRan).isTrue();
            assertThat(idleRan).as("only an unfinished run").isFalse();
            assertThat(orders).as("the later chunk check, not the pass in between").isEqualTo(t0.plusSeconds(30));
            assertThat(customers).as("a pass alone").isEqualTo(t0.plusSeconds(50));
            assertThat(idle).isNull();
        }
    }
}
