package dev.exportdesk.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.engine.runs.RunEstimate;
import dev.exportdesk.engine.runs.RunProgress;
import dev.exportdesk.engine.runs.RunResult;
import dev.exportdesk.store.RunState;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.Replay;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.TestEngine;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Change capture against real H2 and PostgreSQL sources: every test ends by replaying what the
 * partner received and comparing it with the source table, and by checking no (key, version) was
 * delivered twice.
 */
class IncrementalCaptureTest {
    private static final OffsetDateTime T0 = OffsetDateTime.of(2024, 3, 1, 12, 0, 0, 0, ZoneOffset.UTC);

    @TempDir
    Path dir;

    private SourceDb db;
    private Path drop;
    private ObjectNode contract;

    private TestEngine setUp(String kind) throws SQLException {
        db = SourceDb.of(kind, dir);
        db.exec("CREATE TABLE items (id BIGINT PRIMARY KEY, name VARCHAR(200), version INT NOT NULL, "
                + "updated_at TIMESTAMP WITH TIME ZONE NOT NULL, deleted_at TIMESTAMP WITH TIME ZONE)");
        drop = dir.resolve("drop");
        contract = Contracts.base("items-to-acme", db, "items", drop);
        contract.putArray("columns").add("id").add("name").add("version").add("updated_at").add("deleted_at");
        contract.put("soft_delete_column", "deleted_at");
        return TestEngine.open(dir.resolve("ws"));
    }

    private void insert(long fromId, long toId, OffsetDateTime updatedAt) throws SQLException {
        try (Connection c = db.connect();
             PreparedStatement st = c.prepareStatement(
                     "INSERT INTO items (id, name, version, updated_at) VALUES (?, ?, 1, ?)")) {
            for (long id = fromId; id <= toId; id++) {
                st.setLong(1, id);
                st.setString(2, "item " + id);
                st.setObject(3, updatedAt);
                st.addBatch();
            }
            st.executeBatch();
        }
    }

    private Replay replay() throws Exception {
        return Replay.of(drop.resolve("items-to-acme"), "id");
    }

    /** The source as the partner should see it: live rows, by id, with their version. */
    private Map<String, Integer> sourceRows() throws SQLException {
        Map<String, Integer> rows = new LinkedHashMap<>();
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, version FROM items WHERE deleted_at IS NULL ORDER BY id")) {
            while (rs.next()) {
                rows.put(Long.toString(rs.getLong(1)), rs.getInt(2));
            }
        }
        return rows;
    }

    private void assertPartnerMatchesSource() throws Exception {
        Replay r = replay();
        Map<String, Integer> replayed = new LinkedHashMap<>();
        r.table.forEach((k, v) -> replayed.put(k, v.get("version").asInt()));
        assertThat(replayed).isEqualTo(sourceRows());
        Set<String> seen = new HashSet<>();
        for (JsonNode row : r.delivered) {
            String keyVersion = row.get("id").asText() + "@" + row.get("version").asText() + "/" + row.get("_op").asText();
            assertThat(seen.add(keyVersion)).as("delivered twice: %s", keyVersion).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void rowsTyingOnTheCursorAcrossChunkBoundariesAreNeitherDroppedNorRepeated(String kind) throws Exception {
        try (TestEngine t = setUp(kind)) {
            insert(1, 5000, T0);
            t.importContract(Contracts.json(contract, c -> ((ObjectNode) c.get("chunk")).put("max_rows", 700)));
            RunResultAssert.completed(t.run("items-to-acme"));
            assertThat(replay().manifests.get(0).chunks()).hasSize(8);

            insert(5001, 5300, T0); // same cursor value as everything before, higher keys
            RunResultAssert.completed(t.run("items-to-acme"));
            Replay r = replay();
            assertThat(r.manifests).hasSize(2);
            assertThat(r.manifests.get(1).rows()).isEqualTo(300);
            assertThat(r.delivered).hasSize(5300);
            assertPartnerMatchesSource();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void updatesAndSoftDeletesBetweenRunsShipExactlyTheChangedRows(String kind) throws Exception {
        try (TestEngine t = setUp(kind)) {
            insert(1, 1000, T0);
            t.importContract(contract.toString());
            RunResultAssert.completed(t.run("items-to-acme"));
            db.exec("UPDATE items SET version = version + 1, name = 'renamed', updated_at = TIMESTAMP WITH TIME ZONE "
                    + "'2024-03-02 00:00:00+00' WHERE MOD(id, 10) = 0");
            db.exec("UPDATE items SET deleted_at = TIMESTAMP WITH TIME ZONE '2024-03-02 00:00:01+00', "
                    + "updated_at = TIMESTAMP WITH TIME ZONE '2024-03-02 00:00:01+00' WHERE id IN (7, 8, 9)");
            RunResultAssert.completed(t.run("items-to-acme"));
            Replay r = replay();
            assertThat(r.manifests.get(1).rows()).isEqualTo(103);
            assertThat(r.manifests.get(1).chunks().get(0).deletes()).isEqualTo(3);
            assertThat(r.table.get("10").get("name").asText()).isEqualTo("renamed");
            assertThat(r.table).doesNotContainKeys("7", "8", "9");
            assertPartnerMatchesSource();

            // nothing changed: the next run ships nothing, but still delivers a manifest (a heartbeat)
            RunResultAssert.completed(t.run("items-to-acme"));
            assertThat(replay().manifests.get(2).rows()).isZero();
            assertThat(replay().manifests.get(2).previousManifestSha256()).isNotNull();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void insertsWithOlderCursorValuesInsideTheLookbackAreShippedOnce(String kind) throws Exception {
        try (TestEngine t = setUp(kind)) {
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).withNano(0);
            insert(1, 200, now.minusMinutes(30));
            insert(201, 400, now.minusMinutes(5));
            t.importContract(Contracts.json(contract, c -> ((ObjectNode) c.get("late_data")).put("lookback", "1h")));
            RunResultAssert.completed(t.run("items-to-acme"));

            insert(401, 405, now.minusMinutes(20)); // behind the cursor, inside the lookback
            RunResultAssert.completed(t.run("items-to-acme"));
            Replay r = replay();
            assertThat(r.manifests.get(1).rows()).as("only the five late rows, not the re-scanned window")
                    .isEqualTo(5);
            RunResultAssert.completed(t.run("items-to-acme"));
            assertThat(replay().manifests.get(2).rows()).isZero();
            assertPartnerMatchesSource();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aTransactionThatCommitsAfterTheCursorPassedItIsNotLost(String kind) throws Exception {
        try (TestEngine t = setUp(kind)) {
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            insert(1, 100, now.minusMinutes(10));
            // A second contract on the same table with no lookback shows what naive cursors lose.
            t.importContract(Contracts.json(contract, c -> ((ObjectNode) c.get("late_data")).put("lookback", "10m")));
            t.importContract(Contracts.json(contract, c -> c.put("name", "naive-items")));

            try (Connection slow = db.connect()) {
                slow.setAutoCommit(false);
                try (PreparedStatement st = slow.prepareStatement("INSERT INTO items VALUES (?, ?, 1, ?, NULL)")) {
                    st.setLong(1, 999);
                    st.setString(2, "slow transaction");
                    st.setObject(3, now.minusSeconds(30)); // stamped at statement time, 30 s ago
                    st.executeUpdate();
                }
                insert(101, 110, now.minusSeconds(5)); // committed meanwhile, moves the cursor past it
                RunResultAssert.completed(t.run("items-to-acme"));
                RunResultAssert.completed(t.run("naive-items"));
                slow.commit();
            }
            RunResultAssert.completed(t.run("items-to-acme"));
            RunResultAssert.completed(t.run("naive-items"));

            Replay r = replay();
            assertThat(r.table).containsKey("999");
            assertThat(r.manifests.get(1).rows()).isEqualTo(1);
            assertPartnerMatchesSource();
            assertThat(Replay.of(drop.resolve("naive-items"), "id").table)
                    .as("without a lookback the late row is silently lost").doesNotContainKey("999");
        }
    }

    /**
     * A writer that stamps rows with the database clock (now(): its transaction's start) and commits
     * after a run: on PostgreSQL the run's bound stays below that start, so even a contract without
     * any lookback reads the row at the next run, once it is committed.
     */
    @Test
    void onPostgresARunStaysBelowTheOldestOpenTransactionSoItsRowsAreNotLostWithoutLookback() throws Exception {
        try (TestEngine t = setUp("postgresql")) {
            insert(1, 100, OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(10));
            t.importContract(Contracts.json(contract, c -> ((ObjectNode) c.get("late_data")).put("lookback", "0s")));
            try (Connection slow = db.connect()) {
                slow.setAutoCommit(false);
                try (Statement st = slow.createStatement()) {
                    st.execute("INSERT INTO items VALUES (999, 'slow transaction', 1, now(), NULL)");
                }
                Thread.sleep(50); // rows committed meanwhile are stamped after it, and move past its stamp
                insert(101, 110, OffsetDateTime.now(ZoneOffset.UTC));
                RunResultAssert.completed(t.run("items-to-acme"));
                assertThat(replay().table.keySet()).as("rows stamped after the open transaction began wait for it")
                        .contains("50").doesNotContain("101");
                slow.commit();
            }
            RunResultAssert.completed(t.run("items-to-acme"));
            Replay r = replay();
            assertThat(r.table.keySet()).contains("999", "101", "110");
            assertPartnerMatchesSource();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void schemaDriftStopsTheRunUntilTheContractIsUpdated(String kind) throws Exception {
        try (TestEngine t = setUp(kind)) {
            insert(1, 10, T0);
            contract.remove("columns");
            t.importContract(contract.toString());
            RunResultAssert.completed(t.run("items-to-acme"));
            db.exec("ALTER TABLE items ADD COLUMN colour VARCHAR(20)");
            insert(11, 20, T0.plusMinutes(1));

            var drifted = t.run("items-to-acme");
            assertThat(drifted.run().state()).isEqualTo(RunState.SCHEMA_DRIFT);
            assertThat(drifted.run().error()).contains("schema drift").containsIgnoringCase("colour");
            assertThat(drop.resolve("items-to-acme/run-000002")).doesNotExist();

            t.importContract(contract.toString()); // re-accepted against the new schema: version 2
            var resumed = t.engine.resume(drifted.run().id(), ProgressListener.NONE);
            RunResultAssert.completed(resumed);
            assertThat(resumed.run().contractVersion()).isEqualTo(2);
            assertThat(replay().manifests.get(1).rows()).isEqualTo(10);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aTableWithoutCursorIsExportedInFullEachRunByKeyRanges(String kind) throws Exception {
        try (TestEngine t = setUp(kind)) {
            insert(1, 2500, T0);
            t.importContract(Contracts.json(contract, c -> {
                c.putArray("cursor_columns");
                c.remove("late_data");
                ((ObjectNode) c.get("chunk")).put("max_rows", 1000);
            }));
            RunResultAssert.completed(t.run("items-to-acme"));
            db.exec("DELETE FROM items WHERE id > 2000");
            RunResultAssert.completed(t.run("items-to-acme"));
            Replay r = replay();
            assertThat(r.manifests.get(0).mode()).isEqualTo("full");
            assertThat(r.manifests.get(0).rows()).isEqualTo(2500);
            assertThat(r.manifests.get(1).rows()).isEqualTo(2000);
            assertThat(r.manifests.get(1).chunks()).hasSize(2);
        }
    }

    /**
     * The console's ETA: the count made on a run's first progress tick is exactly what its capture
     * then reads — the lookback window it re-scans (mostly skipping rows already shipped) and the
     * forward range — not only what it ships.
     */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void theRunEstimateCountsTheLookbackReScanAsTheCaptureReadsIt(String kind) throws Exception {
        try (TestEngine t = setUp(kind)) {
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).withNano(0);
            insert(1, 200, now.minusHours(3));   // behind the next run's lookback window
            insert(201, 400, now.minusMinutes(5));
            t.importContract(Contracts.json(contract, c -> ((ObjectNode) c.get("late_data")).put("lookback", "1h")));
            RunResultAssert.completed(t.run("items-to-acme"));

            insert(401, 405, now.minusMinutes(20)); // late: behind the cursor, inside the lookback
            insert(406, 455, now.minusMinutes(1));  // an ordinary increment
            RunEstimate estimate = new RunEstimate(t.ctx, t.contracts);
            List<OptionalLong> counted = new CopyOnWriteArrayList<>();
            List<RunProgress> ticks = new CopyOnWriteArrayList<>();
            RunResult second = t.engine.run("items-to-acme", p -> {
                if (counted.isEmpty()) {
                    counted.add(estimate.rowsToRead(p.runId(), p.carried()));
                }
                ticks.add(p);
            });
            RunResultAssert.completed(second);

            RunProgress last = ticks.get(ticks.size() - 1);
            assertThat(last.rows()).as("shipped: the 5 late rows and the 50 new ones").isEqualTo(55);
            assertThat(last.rowsRead()).as("read: the 200 shipped inside the window again, 5 late, 50 new")
                    .isEqualTo(255);
            assertThat(counted).singleElement().isEqualTo(OptionalLong.of(last.rowsRead()));
            assertThat(estimate.rowsToRead(second.run().id(), RunProgress.Carried.NONE)).as("finished: nothing to estimate").isEmpty();
            assertPartnerMatchesSource();
        }
    }

    /**
     * A run stopped inside its lookback re-scan and resumed: the resumed attempt starts from the
     * chunks the first one sealed, its estimate is their rows plus what it reads after them, so the
     * count and the capture agree at the end; its rates count its own rows only.
     */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aResumedAttemptsEstimateAndRateCountFromTheChunksItTookOver(String kind) throws Exception {
        try (TestEngine t = setUp(kind)) {
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).withNano(0);
            for (int minute = 50; minute >= 10; minute -= 10) {
                insert(1000L * minute, 1000L * minute + 99, now.minusMinutes(minute)); // 500 rows, 5 timestamps
            }
            t.importContract(Contracts.json(contract, c -> {
                ((ObjectNode) c.get("late_data")).put("lookback", "1h");
                ((ObjectNode) c.get("chunk")).put("max_rows", 40);
            }));
            RunResultAssert.completed(t.run("items-to-acme"));
            insert(35_000, 35_039, now.minusMinutes(35)); // late, in the middle of the lookback
            insert(60_000, 60_119, now.minusMinutes(1));

            RunResult stopped = t.engine.run("items-to-acme", p -> {
                if (p.rows() > 0) { // the first chunk of late rows is sealed: stop inside the re-scan
                    throw new EngineException("stopped by the test");
                }
            });
            assertThat(stopped.run().state()).isEqualTo(RunState.FAILED);
            RunEstimate estimate = new RunEstimate(t.ctx, t.contracts);
            List<OptionalLong> counted = new CopyOnWriteArrayList<>();
            List<RunProgress> ticks = new CopyOnWriteArrayList<>();
            RunResult resumed = t.engine.resume(stopped.run().id(), p -> {
                if (counted.isEmpty()) {
                    counted.add(estimate.rowsToRead(p.runId(), p.carried()));
                }
                ticks.add(p);
            });
            RunResultAssert.completed(resumed);

            RunProgress first = ticks.get(0);
            RunProgress last = ticks.get(ticks.size() - 1);
            assertThat(first.carried().chunks()).as("the sealed chunk of late rows").isEqualTo(1);
            assertThat(first.carried().rows()).isEqualTo(40);
            assertThat(last.rows()).as("shipped in all: 40 late rows, 120 new").isEqualTo(160);
            assertThat(counted).singleElement().isEqualTo(OptionalLong.of(last.rowsRead()));
            assertThat(last.rowsRead()).as("fewer than the whole window: the first attempt's re-read is not known")
                    .isLessThan(500 + 40 + 120);
            double seconds = last.elapsed().toNanos() / 1e9;
            assertThat(last.rowsPerSecond()).as("this attempt's 120 rows over this attempt's time")
                    .isCloseTo(120 / seconds, org.assertj.core.data.Offset.offset(0.001 * 120 / seconds));
            assertPartnerMatchesSource();
        }
    }
}
