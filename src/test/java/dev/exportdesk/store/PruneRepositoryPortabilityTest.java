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
 * Retention's records (V27) on H2 and PostgreSQL: a prune's file list survives the store byte for
 * byte, PRUNING turns PRUNED, only ACKNOWLEDGED receipts count as accepted, and a run's delivered
 * run-level files are the transfer log's successful ones.
 */
class PruneRepositoryPortabilityTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void prunesReceiptsAndDeliveredFilesReadTheSameOnBothStores(String kind) {
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<RunPrune.PrunedFile> files = List.of(new RunPrune.PrunedFile("manifest.json", "a".repeat(64), "store"),
                new RunPrune.PrunedFile("SHA256SUMS", "b".repeat(64), "destination"));
        try (StateStore store = StateStores.open(kind, dir, "prunes")) {
            store.updateDurably(c -> {
                store.contracts().upsertPartner(c, "acme", t0);
                store.sources().insert(c, new SourceRecord("shop", "jdbc:h2:mem:x", null, null, null), "test", t0);
                store.contracts().addVersion(c, "orders", "acme", "shop", "{}", "b".repeat(64), null, "me", t0);
                String[] receipt = {"ACKNOWLEDGED", "WAITING", null};
                for (int i = 0; i < receipt.length; i++) {
                    String id = "r" + i;
                    store.runs().insert(c, new RunRecord(id, "orders", 1, i + 1, RunMode.INCREMENTAL,
                            RunState.PLANNED, t0,
                            null, null, null, null, null, 0, 0, 0, 0, null, null, null, t0));
                    store.runs().complete(c, id, 10, 100, 1, "c".repeat(64), t0);
                    if (receipt[i] != null) {
                        try (PreparedStatement st = c.prepareStatement("INSERT INTO run_acks(run_id, state, "
                                + "deadline_at) VALUES (?, ?, ?)")) {
                            st.setString(1, id);
                            st.setString(2, receipt[i]);
                            st.setObject(3, t0.atOffset(ZoneOffset.UTC));
                            st.executeUpdate();
                        }
                    }
                }
                String[][] attempts = {{"0", "manifest.json", "OK"}, {"0", "SHA256SUMS", "RETRY"}, {"0", "SHA256SUMS", "OK"},
                        {"0", "manifest.json.asc", "FAILED"}, {"1", "chunk-000001.jsonl", "OK"}};
                for (String[] a : attempts) {
                    try (PreparedStatement st = c.prepareStatement("INSERT INTO transfer_attempts(run_id, chunk_seq, "
                            + "file_name, attempt, started_at, duration_ms, outcome) VALUES ('r0', ?, ?, 1, ?, 1, ?)")) {
                        st.setInt(1, Integer.parseInt(a[0]));
                        st.setString(2, a[1]);
                        st.setObject(3, t0.atOffset(ZoneOffset.UTC));
                        st.setString(4, a[2]);
                        st.executeUpdate();
                    }
                }
                store.prunes().insert(c, new RunPrune("r0", "orders", PruneState.PRUNING, "orders/run-000001", files,
                        "me@cli", t0, null));
            });
            PruneRepository prunes = store.prunes();
            boolean accepted0 = store.inTransaction(c -> prunes.receiptAccepted(c, "r0"));
            boolean accepted1 = store.inTransaction(c -> prunes.receiptAccepted(c, "r1"));
            boolean accepted2 = store.inTransaction(c -> prunes.receiptAccepted(c, "r2"));
            assertThat(accepted0).isTrue();
            assertThat(accepted1).isFalse();
            assertThat(accepted2).isFalse();
            List<String> delivered = store.inTransaction(c -> prunes.deliveredRunFiles(c, "r0"));
            assertThat(delivered).containsExactly("SHA256SUMS", "manifest.json");
            List<RunPrune> open = store.inTransaction(c -> prunes.unfinished(c));
            assertThat(open).extracting(RunPrune::runId).containsExactly("r0");
            RunPrune read = store.inTransaction(c -> prunes.find(c, "r0")).orElseThrow();
            assertThat(read.files()).isEqualTo(files);
            assertThat(read.runDirectory()).isEqualTo("orders/run-000001");
            assertThat(read.prunedAt()).isNull();

            store.updateDurably(c -> prunes.markPruned(c, "r0", t0.plusSeconds(5)));
            List<RunPrune> after = store.inTransaction(c -> prunes.unfinished(c));
            assertThat(after).isEmpty();
            List<RunPrune> ofContract = store.inTransaction(c -> prunes.forContract(c, "orders"));
            assertThat(ofContract).singleElement().satisfies(p -> {
                assertThat(p.state()).isEqualTo(PruneState.PRUNED);
                assertThat(p.prunedAt()).isEqualTo(t0.plusSeconds(5));
            });
            java.util.Map<String, PruneState> states = store.inTransaction(c -> prunes.states(c, List.of("r0", "r1", "r2")));
            assertThat(states).containsOnlyKeys("r0").containsEntry("r0", PruneState.PRUNED);
        }
    }
}
