package dev.exportdesk.ui.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.engine.runs.RunProgress;
import dev.exportdesk.store.RunMode;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.RunState;
import dev.exportdesk.ui.ConsoleContext;
import dev.exportdesk.ui.ConsoleFixture;
import dev.exportdesk.ui.DirectTaskRunner;
import dev.exportdesk.ui.RecordingDialogs;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run with 100,000 chunks in a real state store: the view model loads it page by page, filters
 * and searches it, and on progress ticks re-reads only the tail (no duplicate, no full reload).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RunDetailViewModelTest {
    private static final Logger LOG = LoggerFactory.getLogger(RunDetailViewModelTest.class);
    static final int CHUNKS = 100_000;
    @TempDir
    static Path dir;
    static ConsoleFixture fixture;
    static final String RUN = "00000000-0000-0000-0000-000000000100";

    @BeforeAll
    static void open() throws Exception {
        fixture = ConsoleFixture.open(dir, 100);
        Instant now = Instant.now();
        fixture.workspace.store().update(c -> {
            fixture.workspace.store().runs().insert(c, new RunRecord(RUN, "orders-to-acme", 1, 1, RunMode.INCREMENTAL,
                    RunState.CAPTURING, now, null, null, null, null, null, 0, 0, 0, 1, null, null, null, now));
            insertChunks(c, 1, CHUNKS, now);
            try (PreparedStatement st = c.prepareStatement("INSERT INTO verifications(run_id, chunk_seq, level, "
                    + "outcome, detail, verified_at) VALUES (?, ?, 'delivery', ?, ?, ?)")) {
                for (int seq : new int[] {777, 4242}) {
                    st.setString(1, RUN);
                    st.setInt(2, seq);
                    st.setString(3, "mismatch");
                    st.setString(4, "chunk-" + seq + ": sha256 differs");
                    st.setObject(5, now.atOffset(ZoneOffset.UTC));
                    st.addBatch();
                }
                st.executeBatch();
            }
        });
    }

    static void insertChunks(java.sql.Connection c, int from, int to, Instant now) throws java.sql.SQLException {
        insertChunks(c, RUN, from, to, now);
    }

    static void insertChunks(java.sql.Connection c, String run, int from, int to, Instant now)
            throws java.sql.SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO chunks(run_id, seq, state, file_name, row_count, "
                + "byte_count, sha256, cursor_from, cursor_to, attempts, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int seq = from; seq <= to; seq++) {
                st.setString(1, run);
                st.setInt(2, seq);
                st.setString(3, seq % 1000 == 0 ? "FAILED" : "DELIVERED");
                st.setString(4, String.format("chunk-%06d.jsonl.zst", seq));
                st.setLong(5, 2000);
                st.setLong(6, 57_000);
                st.setString(7, String.format("%064x", seq));
                st.setString(8, "[" + seq * 2000 + "]");
                st.setString(9, "[" + (seq * 2000 + 1999) + "]");
                st.setInt(10, 1);
                st.setObject(11, now.atOffset(ZoneOffset.UTC));
                st.addBatch();
                if (seq % 5000 == 0) {
                    st.executeBatch();
                }
            }
            st.executeBatch();
        }
    }

    @AfterAll
    static void close() {
        fixture.close();
    }

    private RunDetailViewModel model() {
        ConsoleContext ctx = fixture.context(fixture.admin, new DirectTaskRunner(), new RecordingDialogs(), Runnable::run);
        return new RunDetailViewModel(ctx, RUN);
    }

    @Test
    void opensAHundredThousandChunksPageByPageAndFilters() {
        RunDetailViewModel vm = model();
        long started = System.nanoTime();
        vm.activate();
        long openedMillis = (System.nanoTime() - started) / 1_000_000;
        LOG.info("run with {} chunks: first page after {} ms, all loaded after {} ms (view-model level, no toolkit)",
                CHUNKS, vm.firstPageMillis(), openedMillis);
        assertThat(vm.allChunks()).hasSize(CHUNKS);
        assertThat(vm.totalProperty().get()).isEqualTo(CHUNKS);
        assertThat(vm.allChunks().get(CHUNKS - 1).seq()).isEqualTo(CHUNKS);

        vm.mismatchesOnlyProperty().set(true);
        assertThat(vm.chunks()).extracting(ChunkRow::seq).containsExactly(777, 4242);
        vm.mismatchesOnlyProperty().set(false);
        vm.stateFilterProperty().set("FAILED");
        assertThat(vm.chunks()).hasSize(CHUNKS / 1000);
        vm.stateFilterProperty().set(RunDetailViewModel.ANY_STATE);
        vm.searchProperty().set("chunk-012345");
        assertThat(vm.chunks()).extracting(ChunkRow::seq).containsExactly(12345);
        assertThat(vm.chunks().get(0).toTsv()).startsWith("12345\tDELIVERED\tchunk-012345.jsonl.zst\t[24690000] → ");
        vm.searchProperty().set("");
        assertThat(vm.summaryProperty().get()).contains("100,000 of 100,000 chunks shown").contains("2 mismatched");
        vm.deactivate();
    }

    /**
     * Pages that arrive while the FX thread is busy are appended together, and a reload supersedes a
     * load still in flight: its pages are dropped, so no chunk is listed twice.
     */
    @Test
    void pagesWaitingForTheFxThreadAppendAsOneChangeAndAReloadDropsTheOlderLoad() {
        java.util.ArrayDeque<Runnable> fxQueue = new java.util.ArrayDeque<>();
        ConsoleContext ctx = fixture.context(fixture.admin, new DirectTaskRunner(), new RecordingDialogs(),
                fxQueue::add);
        RunDetailViewModel vm = new RunDetailViewModel(ctx, RUN);
        java.util.List<Integer> added = new java.util.ArrayList<>();
        vm.allChunks().addListener((javafx.collections.ListChangeListener<ChunkRow>) ch -> {
            while (ch.next()) {
                if (ch.wasAdded()) {
                    added.add(ch.getAddedSize());
                }
            }
        });
        vm.reload(); // every page read; the FX thread has taken none of them yet
        vm.reload();
        while (!fxQueue.isEmpty()) {
            fxQueue.poll().run();
        }
        assertThat(added).containsExactly(CHUNKS);
        assertThat(new HashSet<>(vm.allChunks().stream().map(ChunkRow::seq).toList())).hasSize(CHUNKS);
        assertThat(vm.summaryProperty().get()).contains("100,000 of 100,000 chunks shown");
    }

    @Test
    void progressTicksReadOnlyTheTail() {
        RunDetailViewModel vm = model();
        vm.activate();
        fixture.workspace.store().update(c -> insertChunks(c, CHUNKS + 1, CHUNKS + 3, Instant.now()));
        vm.onProgress(new RunProgress(RUN, "orders-to-acme", 1, RunProgress.Phase.CAPTURE, 0, CHUNKS + 3, 0, Duration.ofSeconds(1)));
        assertThat(vm.allChunks()).hasSize(CHUNKS + 3);
        assertThat(new HashSet<>(vm.allChunks().stream().map(ChunkRow::seq).toList())).hasSize(CHUNKS + 3);
        vm.onProgress(new RunProgress("another-run", "x", 1, RunProgress.Phase.CAPTURE, 0, 1, 0, Duration.ofSeconds(1)));
        assertThat(vm.allChunks()).hasSize(CHUNKS + 3);
        // a tick that changes nothing changes no row; a chunk that moved on is replaced in place, alone
        java.util.List<String> changes = new java.util.ArrayList<>();
        vm.allChunks().addListener((javafx.collections.ListChangeListener<ChunkRow>) ch -> {
            while (ch.next()) {
                changes.add((ch.wasReplaced() ? "replaced " : ch.wasAdded() ? "added " : "removed ") + ch.getFrom());
            }
        });
        vm.onProgress(new RunProgress(RUN, "orders-to-acme", 1, RunProgress.Phase.CAPTURE, 0, CHUNKS + 3, 0, Duration.ofSeconds(2)));
        assertThat(changes).isEmpty();
        fixture.workspace.store().update(c -> {
            try (PreparedStatement st = c.prepareStatement("UPDATE chunks SET state = 'VERIFIED' WHERE run_id = ? "
                    + "AND seq = ?")) {
                st.setString(1, RUN);
                st.setInt(2, CHUNKS + 2);
                st.executeUpdate();
            }
        });
        vm.onProgress(new RunProgress(RUN, "orders-to-acme", 1, RunProgress.Phase.CAPTURE, 0, CHUNKS + 3, 0, Duration.ofSeconds(3)));
        assertThat(changes).containsExactly("replaced " + (CHUNKS + 1));
        assertThat(vm.allChunks().get(CHUNKS + 1).state()).isEqualTo("VERIFIED");
        assertThat(vm.allChunks()).hasSize(CHUNKS + 3);
        fixture.workspace.store().update(c -> {
            try (PreparedStatement st = c.prepareStatement("DELETE FROM chunks WHERE run_id = ? AND seq > ?")) {
                st.setString(1, RUN);
                st.setInt(2, CHUNKS);
                st.executeUpdate();
            }
        });
        vm.deactivate();
    }
}
