package dev.exportdesk.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.exportdesk.testing.PostgresCluster;
import dev.exportdesk.testing.SourceDb;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.postgresql.replication.LogSequenceNumber;

/**
 * Slot health: what a slot holds back, who streams it, and — as a condition of its own, not an
 * error to retry — a slot dropped behind our back or lost to max_slot_wal_keep_size. And the
 * heartbeat: an idle table in a busy database still lets its slot advance.
 */
class SlotHealthTest {

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aHeartbeatAdvancesTheSlotOfAnIdleTableInABusyDatabase() throws Exception {
        LogicalDb db = LogicalDb.create();
        db.exec("CREATE TABLE quiet (id BIGINT PRIMARY KEY)", "CREATE TABLE busy (id BIGSERIAL PRIMARY KEY, t TEXT)",
                "CREATE PUBLICATION quiet_pub FOR TABLE quiet");
        LogicalTable table = db.table("quiet", "id");
        try (ReplicationSession session = db.session(); Connection c = db.connect()) {
            ExportedSnapshot slot = session.createSlot("quiet_slot");
            LogSequenceNumber start = SlotHealth.check(c, "quiet_slot").confirmedFlush();
            try (LogicalStream stream = session.stream("quiet_slot", "quiet_pub", slot.consistentPoint(), table,
                    LogicalStream.Limits.DEFAULT)) {
                for (int i = 0; i < 20; i++) {
                    exec(c, "INSERT INTO busy (t) SELECT repeat('x', 200) FROM generate_series(1, 2000)");
                }
                LogSequenceNumber busy = currentLsn(c);
                long written = busy.asLong() - start.asLong();
                long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
                SlotHealth.Status status = SlotHealth.check(c, "quiet_slot");
                while (status.retainedBytes() > written / 2 && System.nanoTime() < deadline) {
                    exec(c, "INSERT INTO busy (t) VALUES ('tick')");
                    exec(c, "CHECKPOINT"); // logs the running transactions the slot's restart point moves on
                    assertThat(stream.poll(Duration.ofMillis(200))).as("nothing happens to the quiet table").isEmpty();
                    stream.heartbeat();
                    status = SlotHealth.check(c, "quiet_slot");
                }
                assertThat(status.confirmedFlush()).as("confirmed past the busy writes").isGreaterThan(busy);
                assertThat(status.retainedBytes()).as("retained WAL stays bounded (%d bytes written)", written)
                        .isLessThan(written / 2);
                assertThat(confirmedBy(c, "quiet_slot", stream.confirmed()))
                        .as("the server holds exactly what the stream confirmed").isEqualTo(stream.confirmed());
            }
        }
    }

    /**
     * Without confirm or heartbeat the slot does not move, however busy the database and however
     * many keepalives arrive: past the driver's 10 s status interval, whose automatic flush would
     * otherwise confirm the server's position on its own.
     */
    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void onlyConfirmAndHeartbeatMoveTheSlot() throws Exception {
        LogicalDb db = LogicalDb.create();
        db.exec("CREATE TABLE still (id BIGINT PRIMARY KEY)", "CREATE TABLE churn (id BIGSERIAL PRIMARY KEY, t TEXT)",
                "CREATE PUBLICATION still_pub FOR TABLE still");
        LogicalTable table = db.table("still", "id");
        try (ReplicationSession session = db.session(); Connection c = db.connect()) {
            ExportedSnapshot slot = session.createSlot("still_slot");
            try (LogicalStream stream = session.stream("still_slot", "still_pub", slot.consistentPoint(), table,
                    LogicalStream.Limits.DEFAULT)) {
                long until = System.nanoTime() + Duration.ofSeconds(13).toNanos();
                while (System.nanoTime() < until) {
                    exec(c, "INSERT INTO churn (t) SELECT 'x' FROM generate_series(1, 100)");
                    assertThat(stream.poll(Duration.ofMillis(100))).isEmpty();
                }
                Thread.sleep(500);
                assertThat(SlotHealth.check(c, "still_slot").confirmedFlush()).isEqualTo(slot.consistentPoint());
                assertThat(stream.heartbeat()).isPresent();
            }
        }
    }

    @Test
    void aHealthySlotReportsWhatItHoldsAndWhoStreamsIt() throws Exception {
        LogicalDb db = LogicalDb.create();
        db.exec("CREATE TABLE t (id BIGINT PRIMARY KEY)", "CREATE PUBLICATION t_pub FOR TABLE t");
        LogicalTable table = db.table("t", "id");
        try (ReplicationSession session = db.session(); Connection c = db.connect()) {
            ExportedSnapshot slot = session.createSlot("t_slot");
            SlotHealth.Status idle = SlotHealth.check(c, "t_slot");
            assertThat(idle.activePid()).isNull();
            assertThat(idle.walStatus()).isEqualTo(SlotHealth.WalStatus.RESERVED);
            try (LogicalStream stream = session.stream("t_slot", "t_pub", slot.consistentPoint(), table,
                    LogicalStream.Limits.DEFAULT)) {
                exec(c, "INSERT INTO t VALUES (1)");
                Transaction tx = LogicalStreamTest.until(stream, ch -> true).get(0);
                SlotHealth.Status before = SlotHealth.check(c, "t_slot");
                assertThat(before.activePid()).isNotNull();
                assertThat(before.confirmedFlush()).as("nothing confirmed without confirm()").isEqualTo(
                        slot.consistentPoint());
                assertThat(before.lagBytes()).isPositive();
                stream.confirm(tx.endLsn());
                assertThat(confirmedBy(c, "t_slot", tx.endLsn())).isEqualTo(tx.endLsn());
                assertThatThrownBy(() -> stream.confirm(LogSequenceNumber.valueOf(tx.endLsn().asLong() + 1_000_000)))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("handed over");
            }
        }
    }

    @Test
    void aSlotDroppedBehindOurBackNeedsAResync() throws Exception {
        LogicalDb db = LogicalDb.create();
        db.exec("CREATE TABLE d (id BIGINT PRIMARY KEY)", "CREATE PUBLICATION d_pub FOR TABLE d");
        LogicalTable table = db.table("d", "id");
        LogSequenceNumber from;
        try (ReplicationSession session = db.session()) {
            from = session.createSlot("d_slot").consistentPoint();
        }
        db.exec("SELECT pg_drop_replication_slot('d_slot')");
        try (Connection c = db.connect()) {
            assertThatThrownBy(() -> SlotHealth.check(c, "d_slot")).isInstanceOf(ResyncRequiredException.class)
                    .hasMessageContaining("\"d_slot\" does not exist").hasMessageContaining("re-sync required");
        }
        try (ReplicationSession session = db.session()) {
            assertThatThrownBy(() -> session.stream("d_slot", "d_pub", from, table, LogicalStream.Limits.DEFAULT))
                    .isInstanceOf(ResyncRequiredException.class).hasMessageContaining("re-sync required");
        }
    }

    /** A cluster of its own: it bounds every slot's WAL to 1 MB, which would lose other tests' slots. */
    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aLostSlotNeedsAResync() throws Exception {
        PostgresCluster cluster = PostgresCluster.startOwn(PostgresCluster.LOGICAL_SETTINGS
                + " -c max_slot_wal_keep_size=1MB");
        SourceDb source = new SourceDb("postgresql", cluster.createDatabase("lost"), "postgres");
        source.exec("CREATE ROLE " + LogicalDb.REPLICATOR + " LOGIN REPLICATION",
                "GRANT pg_read_all_data TO " + LogicalDb.REPLICATOR,
                "CREATE TABLE l (id BIGINT PRIMARY KEY, t TEXT)", "CREATE PUBLICATION l_pub FOR TABLE l");
        LogicalDb db = new LogicalDb(source);
        LogicalTable table = db.table("l", "id");
        LogSequenceNumber from;
        try (ReplicationSession session = db.session()) {
            from = session.createSlot("l_slot").consistentPoint();
        }
        try (Connection c = db.connect()) {
            for (int i = 0; i < 5 && !lost(c); i++) {
                exec(c, "INSERT INTO l SELECT g, repeat('y', 500) FROM generate_series(" + i * 20_000 + " + 1, "
                        + (i + 1) * 20_000 + ") g");
                exec(c, "SELECT pg_switch_wal()");
                exec(c, "CHECKPOINT");
            }
            assertThatThrownBy(() -> SlotHealth.check(c, "l_slot")).isInstanceOf(ResyncRequiredException.class)
                    .hasMessageContaining("\"l_slot\" is lost").hasMessageContaining("re-sync required");
        }
        try (ReplicationSession session = db.session()) {
            assertThatThrownBy(() -> session.stream("l_slot", "l_pub", from, table, LogicalStream.Limits.DEFAULT))
                    .isInstanceOf(ResyncRequiredException.class).hasMessageContaining("re-sync required");
        }
    }

    /**
     * The slot's confirmed position once it reaches {@code lsn} (the walsender reads status messages
     * when it next looks at the socket), or as it stands after a bounded wait.
     */
    private static LogSequenceNumber confirmedBy(Connection c, String slot, LogSequenceNumber lsn) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        LogSequenceNumber now = SlotHealth.check(c, slot).confirmedFlush();
        while (now.compareTo(lsn) < 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
            now = SlotHealth.check(c, slot).confirmedFlush();
        }
        return now;
    }

    private static boolean lost(Connection c) throws Exception {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT wal_status FROM pg_replication_slots WHERE slot_name = 'l_slot'")) {
            return rs.next() && "lost".equals(rs.getString(1));
        }
    }

    private static LogSequenceNumber currentLsn(Connection c) throws Exception {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_current_wal_lsn()::text")) {
            rs.next();
            return LogSequenceNumber.valueOf(rs.getString(1));
        }
    }

    private static void exec(Connection c, String sql) throws Exception {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
