package dev.exportdesk.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.exportdesk.testing.StateStores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Correction lineage in both directions, on H2 and PostgreSQL 15: a correction run's page of
 * chunks with what each corrects and its keys by kind, and the corrections of an ordinary chunk
 * with their runs' states — and on H2 both read from their indexes, not the whole table.
 */
class CorrectionLineageTest {
    @TempDir
    Path dir;

    private StateStore open(String kind) {
        StateStore store = StateStores.open(kind, dir, "lineage");
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        CorrectionRepository corrections = store.corrections();
        store.update(c -> {
            store.contracts().upsertPartner(c, "acme", now);
            store.sources().insert(c, new dev.exportdesk.store.SourceRecord("shop", "jdbc:h2:mem:x", null, null, null), "test", now);
            store.contracts().addVersion(c, "orders", "acme", "shop", "{}", "a".repeat(64), null, "me", now);
            run(store, c, "r1", 1, RunMode.INCREMENTAL, RunState.COMPLETED, now);
            run(store, c, "r2", 2, RunMode.CORRECTION, RunState.COMPLETED, now);
            run(store, c, "r3", 3, RunMode.CORRECTION, RunState.CAPTURING, now);
            long pass = deepPass(c, "r1", now);
            corrections.add(c, new CorrectionRepository.Correction("r2", 1, "r1", 1, 3, "chunk-000003.jsonl", pass),
                    List.of(key("[14]", "CHANGED"), key("[15]", "CHANGED"), key("[500]", "MISSING")));
            corrections.add(c, new CorrectionRepository.Correction("r2", 2, "r1", 1, 7, "chunk-000007.jsonl", pass),
                    List.of(key("[1001]", "EXTRA")));
            corrections.add(c, new CorrectionRepository.Correction("r3", 1, "r1", 1, 3, "chunk-000003.jsonl", pass),
                    List.of(key("[14]", "CHANGED")));
            // chunk 4 of r1 is corrected by no one; r1 itself has no correction chunks
        });
        return store;
    }

    private static CorrectionRepository.Key key(String key, String kind) {
        return new CorrectionRepository.Key(key, kind);
    }

    private static void run(StateStore store, Connection c, String id, long seq, RunMode mode, RunState state,
                            Instant now) throws SQLException {
        store.runs().insert(c, new RunRecord(id, "orders", 1, seq, mode, state, now, null, null, null, null, null,
                0, 0, 0, 0, null, null, null, now));
    }

    private static long deepPass(Connection c, String runId, Instant now) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO verification_runs(contract_name, run_id, level, "
                + "outcome, started_at, finished_at) VALUES ('orders', ?, 'deep', 'mismatch', ?, ?)",
                new String[] {"id"})) {
            st.setString(1, runId);
            st.setObject(2, now.atOffset(ZoneOffset.UTC));
            st.setObject(3, now.atOffset(ZoneOffset.UTC));
            st.executeUpdate();
            try (ResultSet rs = st.getGeneratedKeys()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void linksReadTheSameOnBothDatabases(String kind) {
        try (StateStore store = open(kind)) {
            CorrectionRepository corrections = store.corrections();
            store.update(c -> {
                Map<Integer, CorrectionRepository.Link> page = corrections.links(c, "r2", 1, 2);
                assertThat(page).containsOnlyKeys(1, 2);
                CorrectionRepository.Link first = page.get(1);
                assertThat(first.correction()).extracting(CorrectionRepository.Correction::correctsSequence,
                        CorrectionRepository.Correction::correctsChunkSeq, CorrectionRepository.Correction::correctsFile)
                        .containsExactly(1L, 3, "chunk-000003.jsonl");
                assertThat(List.of(first.keys(), first.changed(), first.missing(), first.late()))
                        .containsExactly(3L, 2L, 1L, 0L);
                assertThat(page.get(2).late()).isEqualTo(1);
                assertThat(corrections.links(c, "r2", 2, 2)).containsOnlyKeys(2);
                assertThat(corrections.links(c, "r1", 1, 100)).as("an ordinary run corrects nothing").isEmpty();

                assertThat(corrections.correctedBy(c, "r1", 3, 3)).extracting(CorrectionRepository.CorrectedBy::runId,
                        CorrectionRepository.CorrectedBy::sequence, CorrectionRepository.CorrectedBy::chunkSeq,
                        CorrectionRepository.CorrectedBy::state, CorrectionRepository.CorrectedBy::keys)
                        .containsExactly(tuple("r2", 2L, 1, RunState.COMPLETED, 3L),
                                tuple("r3", 3L, 1, RunState.CAPTURING, 1L));
                assertThat(corrections.correctedBy(c, "r1", 4, 4)).isEmpty();
                assertThat(corrections.correctedBy(c, "r1", 0, Integer.MAX_VALUE))
                        .extracting(CorrectionRepository.CorrectedBy::correctedSeq).containsExactly(3, 3, 7);
                assertThat(corrections.correctedBy(c, "r2", 0, Integer.MAX_VALUE)).isEmpty();
            });
        }
    }

    /**
     * Both reads look rows up by index: neither scans chunk_corrections, and each chunk's keys are
     * counted on correction_keys' primary key, not through every key of the run.
     */
    @Test
    void h2ReadsBothDirectionsFromIndexes() {
        try (StateStore store = open("h2")) {
            store.update(c -> { // a correction run of 500 chunks of 20 keys: H2 then has statistics to plan by
                for (int seq = 3; seq <= 502; seq++) {
                    List<CorrectionRepository.Key> keys = new java.util.ArrayList<>();
                    for (int k = 0; k < 20; k++) {
                        keys.add(key("[" + (seq * 100 + k) + "]", k % 2 == 0 ? "CHANGED" : "MISSING"));
                    }
                    store.corrections().add(c, new CorrectionRepository.Correction("r2", seq, "r1", 1, seq + 10,
                            "chunk-" + seq + ".jsonl", 1), keys);
                }
            });
            store.update(c -> {
                String links = plan(c, CorrectionRepository.linksSql(), "r2");
                assertThat(links).as(links).contains("index sorted").doesNotContain("tableScan")
                        .doesNotContain("CONSTRAINT_INDEX"); // a key count through the index on run_id alone
                String correctedBy = plan(c, CorrectionRepository.correctedBySql(), "r1");
                assertThat(correctedBy).as(correctedBy).contains("CHUNK_CORRECTIONS_BY_TARGET").doesNotContain("tableScan")
                        .doesNotContain("CONSTRAINT_INDEX");
            });
        }
    }

    private static String plan(Connection c, String sql, String runId) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("EXPLAIN " + sql)) {
            for (int i = 1; i <= st.getParameterMetaData().getParameterCount(); i += 3) { // (run, from, to)…
                st.setString(i, runId);
                st.setInt(i + 1, 1);
                st.setInt(i + 2, 10);
            }
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
