package dev.exportdesk.team;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.TeamWorkers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three workers look at one scheduled contract every 150 ms. Each due time (the first start, then
 * each time the test moves the last run's start one interval into the past) must start exactly one
 * run: one plan, one claim (epoch 1, by the schedule), one attempt, and nothing more while the workers
 * keep looking.
 */
class WorkerScheduleTest {
    private static final int DUE_TIMES = 8;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void eachDueTimeStartsExactlyOneRunWhateverTheNumberOfWorkers() throws Exception {
        SourceDb db = SourceDb.postgres();
        db.exec("CREATE TABLE items (id BIGINT PRIMARY KEY, version INT NOT NULL, payload VARCHAR(200) NOT NULL, "
                + "updated_at TIMESTAMP WITH TIME ZONE NOT NULL)");
        OffsetDateTime base = OffsetDateTime.now(ZoneOffset.UTC).minusHours(1).withNano(0);
        insert(db, 1, 500, base);
        ObjectNode contract = Contracts.base("items", db, "items", dir.resolve("drop"));
        ((ObjectNode) contract.get("chunk")).put("max_rows", 100);
        contract.putObject("schedule").put("interval", "1m");
        Files.writeString(dir.resolve("items.json"), contract.toString());

        try (TeamWorkers team = new TeamWorkers(dir)) {
            assertThat(team.cli("import.log", 120, "contract", "import", dir.resolve("items.json").toString()))
                    .as(team.log("import.log")).isZero();
            List<TeamWorkers.Worker> workers = new ArrayList<>();
            for (String name : List.of("w1", "w2", "w3")) {
                workers.add(team.start(name, "5s"));
            }
            for (int due = 1; due <= DUE_TIMES; due++) {
                awaitReleased(team, due);
                Thread.sleep(1500); // ten looks by each worker: a second start would show now
                assertThat(count(team, "SELECT count(*) FROM runs")).as("runs after due time %d", due).isEqualTo(due);
                if (due < DUE_TIMES) {
                    insert(db, 500 + due * 10L, 509 + due * 10L, base.plusMinutes(due));
                    try (Connection c = team.store(); PreparedStatement st = c.prepareStatement("UPDATE runs SET "
                            + "planned_at = planned_at - interval '61 seconds' WHERE sequence = ?")) {
                        st.setInt(1, due); // the next start comes due now
                        st.executeUpdate();
                    }
                }
            }

            assertThat(count(team, "SELECT count(*) FROM runs WHERE state = 'COMPLETED' AND attempts = 1"))
                    .as("runs completed in one attempt").isEqualTo(DUE_TIMES);
            assertThat(count(team, "SELECT count(*) FROM audit_log WHERE action = 'run.plan'")).isEqualTo(DUE_TIMES);
            assertThat(count(team, "SELECT count(*) FROM lease_history WHERE epoch = 1 AND how = 'SCHEDULE'"))
                    .isEqualTo(DUE_TIMES);
            assertThat(count(team, "SELECT count(*) FROM lease_history")).as("claims").isEqualTo(DUE_TIMES);
            assertThat(count(team, "SELECT max(sequence) FROM runs")).isEqualTo(DUE_TIMES);

            Map<String, Long> startedBy = new TreeMap<>();
            try (Connection c = team.store(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT holder, count(*) FROM lease_history GROUP BY holder")) {
                while (rs.next()) {
                    startedBy.put(rs.getString(1), rs.getLong(2));
                }
            }
            for (TeamWorkers.Worker w : workers) {
                w.signal("TERM");
            }
            for (TeamWorkers.Worker w : workers) {
                assertThat(w.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(w.process().exitValue()).as(w.output()).isZero();
            }
            System.out.printf("schedule: %d due times, runs started by %s%n", DUE_TIMES, startedBy);
        }
    }

    /** Waits until run {@code sequence} completed and its lease was released. */
    private static void awaitReleased(TeamWorkers team, int sequence) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (count(team, "SELECT count(*) FROM runs r JOIN run_leases l ON l.run_id = r.id WHERE r.sequence = "
                    + sequence + " AND r.state = 'COMPLETED' AND l.state = 'RELEASED'") == 1) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("run " + sequence + " did not complete in time");
    }

    private static long count(TeamWorkers team, String sql) throws Exception {
        try (Connection c = team.store(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void insert(SourceDb db, long from, long to, OffsetDateTime at) throws Exception {
        try (Connection c = db.connect(); PreparedStatement st = c.prepareStatement(
                "INSERT INTO items (id, version, payload, updated_at) VALUES (?, 1, ?, ?)")) {
            for (long id = from; id <= to; id++) {
                st.setLong(1, id);
                st.setString(2, "payload-" + id);
                st.setObject(3, at);
                st.addBatch();
            }
            st.executeBatch();
        }
    }
}
