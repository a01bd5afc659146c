package dev.exportdesk.ui.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.exportdesk.access.AccessDeniedException;
import dev.exportdesk.access.Role;
import dev.exportdesk.store.ChunkPageQuery;
import dev.exportdesk.store.RunMode;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.RunState;
import dev.exportdesk.ui.ConsoleContext;
import dev.exportdesk.ui.ConsoleFixture;
import dev.exportdesk.ui.DirectTaskRunner;
import dev.exportdesk.ui.RecordingDialogs;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run detail's reconciliation columns on a run with 100,000 chunks and two recorded deep
 * verification passes, without the toolkit: each page carries the LATEST pass's outcome and drift
 * counts (an older pass's result is not shown), the first page stays fast, "mismatches only" finds
 * the differing chunks, and selecting one reads exactly its keys with their kinds.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RunDetailReconciliationTest {
    private static final Logger LOG = LoggerFactory.getLogger(RunDetailReconciliationTest.class);
    static final int CHUNKS = 100_000;
    static final String RUN = "00000000-0000-0000-0000-000000000200";
    static final long OLD_PASS = 9001;
    static final long LATEST_PASS = 9002;
    @TempDir
    static Path dir;
    static ConsoleFixture fixture;

    @BeforeAll
    static void open() throws Exception {
        fixture = ConsoleFixture.open(dir, 100);
        Instant now = Instant.now();
        fixture.workspace.store().update(c -> {
            fixture.workspace.store().runs().insert(c, new RunRecord(RUN, "orders-to-acme", 1, 1, RunMode.INCREMENTAL,
                    RunState.COMPLETED, now, now, null, null, null, null, 0, 0, 0, 1, null, null, null, now));
            try (PreparedStatement st = c.prepareStatement("INSERT INTO chunks(run_id, seq, state, file_name, "
                    + "row_count, byte_count, sha256, cursor_from, cursor_to, attempts, updated_at) "
                    + "VALUES (?, ?, 'DELIVERED', ?, 2000, 57000, ?, ?, ?, 1, ?)")) {
                for (int seq = 1; seq <= CHUNKS; seq++) {
                    st.setString(1, RUN);
                    st.setInt(2, seq);
                    st.setString(3, String.format("chunk-%06d.jsonl.zst", seq));
                    st.setString(4, String.format("%064x", seq));
                    st.setString(5, "[" + seq * 2000 + "]");
                    st.setString(6, "[" + (seq * 2000 + 1999) + "]");
                    st.setObject(7, now.atOffset(ZoneOffset.UTC));
                    st.addBatch();
                    if (seq % 5000 == 0) {
                        st.executeBatch();
                    }
                }
                st.executeBatch();
            }
            // an older pass found chunk 10 drifted; the latest finds it matching, chunk 50,000 missing a
            // row and chunk 99,999 with a late arrival
            pass(c, OLD_PASS, now.minusSeconds(3600), 10, 10);
            reconcile(c, OLD_PASS, 10, "DRIFT", 1, 0, 0);
            drift(c, OLD_PASS, 10, "[20005]", "CHANGED");
            pass(c, LATEST_PASS, now, 1, CHUNKS);
            try (PreparedStatement st = c.prepareStatement("INSERT INTO chunk_reconciliations(verification_id, "
                    + "run_id, chunk_seq, file_name, classification, shipped_rows, rows_changed, rows_missing, "
                    + "rows_extra) VALUES (?, ?, ?, ?, ?, 2000, 0, ?, ?)")) {
                for (int seq = 1; seq <= CHUNKS; seq++) {
                    st.setLong(1, LATEST_PASS);
                    st.setString(2, RUN);
                    st.setInt(3, seq);
                    st.setString(4, String.format("chunk-%06d.jsonl.zst", seq));
                    st.setString(5, seq == 50_000 ? "MISSING_AT_SOURCE" : seq == 99_999 ? "LATE_ARRIVALS" : "MATCH");
                    st.setLong(6, seq == 50_000 ? 1 : 0);
                    st.setLong(7, seq == 99_999 ? 1 : 0);
                    st.addBatch();
                    if (seq % 5000 == 0) {
                        st.executeBatch();
                    }
                }
                st.executeBatch();
            }
            drift(c, LATEST_PASS, 50_000, "[100000007]", "MISSING");
            drift(c, LATEST_PASS, 99_999, "[199999000]", "EXTRA");
        });
    }

    private static void pass(Connection c, long id, Instant at, int from, int to) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO verification_runs(id, contract_name, run_id, "
                + "level, outcome, chunks_checked, started_at, finished_at) VALUES (?, 'orders-to-acme', ?, 'deep', "
                + "'mismatch', ?, ?, ?)")) {
            st.setLong(1, id);
            st.setString(2, RUN);
            st.setInt(3, to - from + 1);
            st.setObject(4, at.atOffset(ZoneOffset.UTC));
            st.setObject(5, at.atOffset(ZoneOffset.UTC));
            st.executeUpdate();
        }
    }

    private static void reconcile(Connection c, long pass, int seq, String cls, long changed, long missing,
                                  long extra) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO chunk_reconciliations(verification_id, run_id, "
                + "chunk_seq, file_name, classification, shipped_rows, rows_changed, rows_missing, rows_extra) "
                + "VALUES (?, ?, ?, 'f', ?, 2000, ?, ?, ?)")) {
            st.setLong(1, pass);
            st.setString(2, RUN);
            st.setInt(3, seq);
            st.setString(4, cls);
            st.setLong(5, changed);
            st.setLong(6, missing);
            st.setLong(7, extra);
            st.executeUpdate();
        }
    }

    private static void drift(Connection c, long pass, int seq, String key, String kind) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO drift_rows(verification_id, run_id, chunk_seq, "
                + "row_key, kind) VALUES (?, ?, ?, ?, ?)")) {
            st.setLong(1, pass);
            st.setString(2, RUN);
            st.setInt(3, seq);
            st.setString(4, key);
            st.setString(5, kind);
            st.executeUpdate();
        }
    }

    @AfterAll
    static void close() {
        fixture.close();
    }

    private RunDetailViewModel model(Role role) {
        var user = role == Role.ADMIN ? fixture.admin : fixture.user("u-" + role.label(), role);
        ConsoleContext ctx = fixture.context(user, new DirectTaskRunner(), new RecordingDialogs(), Runnable::run);
        return new RunDetailViewModel(ctx, RUN);
    }

    @Test
    void pagesCarryTheLatestReconciliationAndSelectingAChunkReadsItsKeys() {
        RunDetailViewModel vm = model(Role.AUDITOR);
        long started = System.nanoTime();
        vm.activate();
        long loadedMillis = (System.nanoTime() - started) / 1_000_000;
        LOG.info("run with {} reconciled chunks: first page after {} ms, all loaded after {} ms", CHUNKS,
                vm.firstPageMillis(), loadedMillis);
        assertThat(vm.allChunks()).hasSize(CHUNKS);
        assertThat(vm.allChunks()).allMatch(ChunkRow::reconciled);
        ChunkRow ten = vm.allChunks().get(9);
        assertThat(ten.outcome()).as("the latest pass wins over the older one").isEqualTo("match");
        assertThat(ten.driftCounts()).isEqualTo("0/0/0");

        vm.mismatchesOnlyProperty().set(true);
        assertThat(vm.chunks()).extracting(ChunkRow::seq, ChunkRow::outcome, ChunkRow::driftCounts).containsExactly(
                tuple(50_000, "missing at source", "0/1/0"), tuple(99_999, "late arrivals", "0/0/1"));

        vm.select(vm.chunks().get(0));
        assertThat(vm.differingKeys()).extracting(ChunkPageQuery.DifferingKey::rowKey,
                ChunkPageQuery.DifferingKey::kind).containsExactly(tuple("[100000007]", "MISSING"));
        assertThat(vm.detailProperty().get()).contains("Reconciliation: missing at source · 0 changed, 1 missing")
                .contains("[100000007]  missing at source");
        vm.select(vm.chunks().get(1));
        assertThat(vm.differingKeys()).extracting(ChunkPageQuery.DifferingKey::rowKey).containsExactly("[199999000]");
        assertThat(vm.detailProperty().get()).contains("[199999000]  late arrival");
        vm.select(ten);
        assertThat(vm.differingKeys()).isEmpty();
        assertThat(vm.detailProperty().get()).contains("Reconciliation: match").doesNotContain("[20005]");
        vm.select(null);
        assertThat(vm.detailProperty().get()).isEmpty();
        vm.deactivate();
    }

    @Test
    void onlyAuditorsAndAdminsMayDeepVerifyAndARefusalIsAudited() {
        RunDetailViewModel operator = model(Role.OPERATOR);
        assertThat(operator.canVerifyProperty().get()).isFalse();
        var asOperator = fixture.engine(fixture.user("u-" + Role.OPERATOR.label(), Role.OPERATOR));
        assertThatThrownBy(() -> asOperator.verification().deepVerify(RUN)).isInstanceOf(AccessDeniedException.class);
        assertThat(fixture.engine(fixture.admin).audit(10)).anyMatch(e -> e.action().equals("access.denied")
                && e.subject().equals("verify deliveries") && e.actor().equals("u-" + Role.OPERATOR.label()));
        assertThat(model(Role.AUDITOR).canVerifyProperty().get()).isTrue();
    }
}
