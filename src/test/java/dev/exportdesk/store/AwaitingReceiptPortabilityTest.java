package dev.exportdesk.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.testing.StateStores;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The console's receipt queue on H2 and PostgreSQL: completed runs never checked, WAITING or
 * REDELIVERED are awaited, oldest first, and so is a REDELIVER whose redelivery could not be done yet
 * (no receipt judged into it: tried again); judged ones (ACKNOWLEDGED, REDELIVER, OVERDUE, REJECTED)
 * and unfinished runs are not; runs are asked for per contract version, so versions that expect
 * no receipts are never read.
 */
class AwaitingReceiptPortabilityTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void completedRunsWithAnOpenReceiptAreAwaitedOldestFirst(String kind) {
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MICROS);
        try (StateStore store = StateStores.open(kind, dir, "state")) {
            store.updateDurably(c -> {
                store.contracts().upsertPartner(c, "acme", t0);
                store.sources().insert(c, new dev.exportdesk.store.SourceRecord("shop", "jdbc:h2:mem:x", null, null, null), "test", t0);
                store.contracts().addVersion(c, "orders", "acme", "shop", "{}", "b".repeat(64), null, "me", t0);
                String[] receipt = {null, "WAITING", "REDELIVERED", "ACKNOWLEDGED", "REDELIVER", "OVERDUE", "REJECTED",
                    "REDELIVER (to try again)"};
                for (int i = 0; i < receipt.length; i++) {
                    String id = "r" + i;
                    // finished newest first, so "oldest first" is not insertion order
                    Instant finished = t0.plusSeconds(100 - i);
                    store.runs().insert(c, new RunRecord(id, "orders", 1, i + 1, RunMode.INCREMENTAL,
                            RunState.PLANNED, t0,
                            null, null, null, null, null, 0, 0, 0, 0, null, null, null, t0));
                    store.runs().complete(c, id, 10, 100, 1, "c".repeat(64), finished);
                    if (receipt[i] != null) {
                        try (PreparedStatement st = c.prepareStatement("INSERT INTO run_acks(run_id, state, "
                                + "deadline_at, checked_at, detail, receipt_sha256) VALUES (?, ?, ?, ?, ?, ?)")) {
                            boolean retry = receipt[i].endsWith("(to try again)");
                            st.setString(1, id);
                            st.setString(2, retry ? "REDELIVER" : receipt[i]);
                            st.setString(6, retry ? null : "d".repeat(64));
                            st.setObject(3, finished.plusSeconds(3600).atOffset(ZoneOffset.UTC));
                            st.setObject(4, finished.atOffset(ZoneOffset.UTC));
                            st.setString(5, "judged");
                            st.executeUpdate();
                        }
                    }
                }
                store.runs().insert(c, new RunRecord("running", "orders", 1, 99, RunMode.INCREMENTAL,
                        RunState.CAPTURING,
                        t0, null, null, null, null, null, 0, 0, 0, 0, null, null, null, t0));
                // a later version (it may not expect receipts): asked for on its own
                store.contracts().addVersion(c, "orders", "acme", "shop", "{\"v\": 2}", "e".repeat(64), null, "me", t0);
                store.runs().insert(c, new RunRecord("v2", "orders", 2, 50, RunMode.INCREMENTAL, RunState.PLANNED, t0,
                        null, null, null, null, null, 0, 0, 0, 0, null, null, null, t0));
                store.runs().complete(c, "v2", 10, 100, 1, "c".repeat(64), t0);
            });
            RunRepository.ContractVersionRef v1 = new RunRepository.ContractVersionRef("orders", 1);
            RunRepository.ContractVersionRef v2 = new RunRepository.ContractVersionRef("orders", 2);
            List<RunRepository.ContractVersionRef> versions = store.inTransaction(c -> store.runs().completedVersions(c));
            assertThat(versions).containsExactly(v1, v2);
            List<RunRecord> awaited = store.inTransaction(c -> store.runs().awaitingReceipt(c, v1));
            assertThat(awaited).extracting(RunRecord::id).containsExactly("r7", "r2", "r1", "r0");
            List<RunRecord> ofV2 = store.inTransaction(c -> store.runs().awaitingReceipt(c, v2));
            assertThat(ofV2).extracting(RunRecord::id).containsExactly("v2");
        }
    }
}
