package dev.exportdesk.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.TestEngine;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The ETA's expected rows against real H2 and PostgreSQL sources: for an incremental run with a
 * lookback window, the count made on the run's first progress tick is exactly what the capture
 * then reads — the re-scanned window (which it mostly skips as already shipped) and the forward
 * range — not only what it ships.
 */
class RunEstimateTest {
    private static final String C = "items-to-acme";

    @TempDir
    Path dir;

    private SourceDb db;

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void theEstimateCountsTheLookbackReScanAsTheCaptureReadsIt(String kind) throws Exception {
        db = SourceDb.of(kind, dir);
        db.exec("CREATE TABLE items (id BIGINT PRIMARY KEY, name VARCHAR(200), updated_at TIMESTAMP WITH TIME ZONE "
                + "NOT NULL)");
        ObjectNode contract = Contracts.base(C, db, "items", dir.resolve("drop"));
        contract.putArray("columns").add("id").add("name").add("updated_at");
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).withNano(0);
        try (TestEngine t = TestEngine.open(dir.resolve("ws"))) {
            insert(1, 200, now.minusHours(3));   // behind the next run's lookback window
            insert(201, 400, now.minusMinutes(5));
            t.importContract(Contracts.json(contract, c -> ((ObjectNode) c.get("late_data")).put("lookback", "1h")));
            RunResultAssert.completed(t.run(C));

            insert(401, 405, now.minusMinutes(20)); // late: behind the cursor, inside the lookback
            insert(406, 455, now.minusMinutes(1));  // ordinary increment
            RunEstimate estimate = new RunEstimate(t.ctx, t.contracts);
            List<OptionalLong> counted = new CopyOnWriteArrayList<>();
            List<RunProgress> ticks = new CopyOnWriteArrayList<>();
            RunResult second = t.engine.run(C, p -> {
                if (counted.isEmpty()) {
                    counted.add(estimate.rowsToRead(p.runId()));
                }
                ticks.add(p);
            });
            RunResultAssert.completed(second);

            RunProgress last = ticks.get(ticks.size() - 1);
            assertThat(last.rows()).as("shipped: the 5 late rows and the 50 new ones").isEqualTo(55);
            assertThat(last.rowsRead()).as("read: the 200 shipped inside the window again, 5 late, 50 new")
                    .isEqualTo(255);
            assertThat(counted).singleElement().isEqualTo(OptionalLong.of(last.rowsRead()));
            assertThat(estimate.rowsToRead(second.run().id())).as("finished: nothing to estimate").isEmpty();
        }
    }

    private void insert(long fromId, long toId, OffsetDateTime updatedAt) throws Exception {
        try (Connection c = db.connect();
             PreparedStatement st = c.prepareStatement("INSERT INTO items (id, name, updated_at) VALUES (?, ?, ?)")) {
            for (long id = fromId; id <= toId; id++) {
                st.setLong(1, id);
                st.setString(2, "item " + id);
                st.setObject(3, updatedAt);
                st.addBatch();
            }
            st.executeBatch();
        }
    }
}
