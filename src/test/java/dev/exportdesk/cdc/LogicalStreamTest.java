package dev.exportdesk.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.replication.LogSequenceNumber;

/**
 * The stream gives every kind of change of the captured table, whole transactions in commit order,
 * with unchanged TOASTed values filled in from the old row — on a real PostgreSQL 15 with
 * wal_level=logical.
 */
class LogicalStreamTest {
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static LogicalDb db;

    @BeforeAll
    static void database() {
        db = LogicalDb.create();
    }

    private static String randomText(int length, long seed) {
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append((char) ('!' + r.nextInt(90))); // incompressible: stays out of line, TOASTed
        }
        return sb.toString();
    }

    /** Transactions until one holds a change matching {@code last}, within {@link #BOUND}. */
    static List<Transaction> until(LogicalStream stream, Predicate<Change> last) {
        List<Transaction> out = new ArrayList<>();
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Transaction> t = stream.poll(Duration.ofMillis(500));
            if (t.isPresent()) {
                out.add(t.get());
                if (t.get().changes().stream().anyMatch(last)) {
                    return out;
                }
            }
        }
        throw new AssertionError("the stream did not deliver the expected change within " + BOUND + "; got " + out);
    }

    @Test
    void everyKindOfChangeComesOutInCommitOrder() throws Exception {
        String big1 = randomText(200_000, 1);
        String big2 = randomText(150_000, 2);
        db.exec("CREATE TABLE items (id BIGINT PRIMARY KEY, name TEXT, amount NUMERIC(12,2), note TEXT)",
                "ALTER TABLE items REPLICA IDENTITY FULL",
                "CREATE PUBLICATION items_pub FOR TABLE items");
        LogicalTable table = db.table("items", "id");
        try (ReplicationSession session = db.session()) {
            ExportedSnapshot slot = session.createSlot("items_slot");
            try (LogicalStream stream = session.stream("items_slot", "items_pub", slot.consistentPoint(), table,
                    LogicalStream.Limits.DEFAULT);
                 Connection a = db.connect(); Connection b = db.connect()) {
                try (Statement st = a.createStatement()) {
                    st.execute("BEGIN");
                    st.execute("INSERT INTO items VALUES (1, 'one', 1.50, NULL), (2, 'two', 2.00, 'x'), "
                            + "(3, 'three', NULL, 'ü€𝄞')");
                    st.execute("COMMIT");
                    st.execute("UPDATE items SET name = 'ONE' WHERE id = 1");
                    st.execute("UPDATE items SET id = 30 WHERE id = 3");
                    st.execute("DELETE FROM items WHERE id = 2");
                    // a long transaction that commits after a short one that began later
                    st.execute("BEGIN");
                    st.execute("INSERT INTO items VALUES (100, 'long', 0, NULL)");
                }
                try (Statement st = b.createStatement()) {
                    st.execute("INSERT INTO items VALUES (200, 'short', 0, NULL)");
                }
                try (Statement st = a.createStatement()) {
                    st.execute("INSERT INTO items VALUES (101, 'long', 0, NULL)");
                    st.execute("COMMIT");
                }
                try (PreparedStatement ins = a.prepareStatement("INSERT INTO items VALUES (500, 'big', 5, ?)");
                     PreparedStatement upd = a.prepareStatement("UPDATE items SET note = ? WHERE id = 500")) {
                    ins.setString(1, big1);
                    ins.execute();
                    upd.setString(1, big2);
                    upd.execute();
                }
                try (Statement st = a.createStatement()) {
                    st.execute("UPDATE items SET name = 'big, renamed' WHERE id = 500"); // note: unchanged TOAST
                    st.execute("TRUNCATE items");
                }
                List<Transaction> txs = until(stream, c -> c.op() == Change.Op.TRUNCATE);
                List<String> seen = new ArrayList<>();
                for (Transaction t : txs) {
                    List<String> ops = new ArrayList<>();
                    for (Change c : t.changes()) {
                        ops.add(c.op() + (c.values() == null ? "" : " " + c.values()[0])
                                + (c.oldKey() == null ? "" : " from " + c.oldKey()[0]));
                    }
                    seen.add(String.join(", ", ops));
                }
                assertThat(seen).containsExactly("INSERT 1, INSERT 2, INSERT 3", "UPDATE 1", "UPDATE 30 from 3",
                        "DELETE 2", "INSERT 200", "INSERT 100, INSERT 101", "INSERT 500", "UPDATE 500", "UPDATE 500",
                        "TRUNCATE");
                assertThat(txs.get(0).changes().get(0).values()).containsExactly(1L, "one", "1.50", null);
                assertThat(txs.get(0).changes().get(2).values()).containsExactly(3L, "three", null, "ü€𝄞");
                assertThat(txs.get(1).changes().get(0).values()).containsExactly(1L, "ONE", "1.50", null);
                assertThat(txs.get(3).changes().get(0).values()).as("FULL identity: the whole old row")
                        .containsExactly(2L, "two", "2.00", "x");
                assertThat(txs.get(7).changes().get(0).values()[3]).isEqualTo(big2);
                assertThat(txs.get(8).changes().get(0).values())
                        .as("the unchanged TOASTed note is taken from the old row")
                        .containsExactly(500L, "big, renamed", "5.00", big2);
                for (int i = 1; i < txs.size(); i++) {
                    assertThat(txs.get(i).commitLsn()).isGreaterThan(txs.get(i - 1).commitLsn());
                    assertThat(txs.get(i).endLsn()).isGreaterThan(txs.get(i).commitLsn());
                }
                Change truncate = txs.get(txs.size() - 1).changes().get(0);
                assertThat(truncate.cascade()).isFalse();
                assertThat(truncate.restartIdentity()).isFalse();
            }
        }
    }

    @Test
    void anUnchangedToastedValueWithoutTheOldRowIsAClearError() throws Exception {
        db.exec("CREATE TABLE docs (id BIGINT PRIMARY KEY, title TEXT, body TEXT)",
                "CREATE PUBLICATION docs_pub FOR TABLE docs");
        LogicalTable table = db.table("docs", "id");
        try (ReplicationSession session = db.session()) {
            ExportedSnapshot slot = session.createSlot("docs_slot");
            try (LogicalStream stream = session.stream("docs_slot", "docs_pub", slot.consistentPoint(), table,
                    LogicalStream.Limits.DEFAULT);
                 Connection c = db.connect();
                 PreparedStatement ins = c.prepareStatement("INSERT INTO docs VALUES (1, 'a', ?)")) {
                ins.setString(1, randomText(100_000, 3));
                ins.execute();
                try (Statement st = c.createStatement()) {
                    st.execute("UPDATE docs SET title = 'b' WHERE id = 1");
                }
                assertThat(until(stream, ch -> ch.op() == Change.Op.INSERT)).hasSize(1);
                assertThatThrownBy(() -> until(stream, ch -> true))
                        .isInstanceOf(CaptureException.class)
                        .hasMessageContaining("column \"body\"")
                        .hasMessageContaining("REPLICA IDENTITY FULL");
            }
        }
    }

    /**
     * A stream restarted from the slot's confirmed position gives the first transaction not
     * confirmed, and none before it: handed over but unconfirmed is given again, confirmed is not.
     */
    @Test
    void aRestartResumesAfterTheLastConfirmedTransactionExactly() throws Exception {
        db.exec("CREATE TABLE resumed (id BIGINT PRIMARY KEY)", "CREATE PUBLICATION resumed_pub FOR TABLE resumed");
        LogicalTable table = db.table("resumed", "id");
        try (ReplicationSession session = db.session()) {
            ExportedSnapshot slot = session.createSlot("resumed_slot");
            try (LogicalStream stream = session.stream("resumed_slot", "resumed_pub", slot.consistentPoint(), table,
                    LogicalStream.Limits.DEFAULT)) {
                for (int i = 1; i <= 10; i++) {
                    db.exec("INSERT INTO resumed VALUES (" + i + ")");
                }
                List<Transaction> first = until(stream, ch -> ch.values()[0].equals(6L));
                assertThat(first).hasSize(6);
                stream.confirm(first.get(3).endLsn()); // 1-4 delivered; 5 and 6 handed over, not delivered
            }
        }
        List<Long> resumed = new ArrayList<>();
        try (ReplicationSession session = db.session(); Connection c = db.connect()) {
            LogSequenceNumber from = SlotHealth.check(c, "resumed_slot").confirmedFlush();
            try (LogicalStream stream = session.stream("resumed_slot", "resumed_pub", from, table,
                    LogicalStream.Limits.DEFAULT)) {
                for (Transaction t : until(stream, ch -> ch.values()[0].equals(10L))) {
                    t.changes().forEach(ch -> resumed.add((Long) ch.values()[0]));
                }
            }
        }
        assertThat(resumed).containsExactly(5L, 6L, 7L, 8L, 9L, 10L);
    }

    /** Published via the root, a partitioned table's changes come under its own name, whatever the partition. */
    @Test
    void aPartitionedTablesChangesComeUnderItsRoot() throws Exception {
        db.exec("CREATE TABLE byrange (id BIGINT PRIMARY KEY, n INT) PARTITION BY RANGE (id)",
                "CREATE TABLE byrange_low PARTITION OF byrange FOR VALUES FROM (0) TO (100)",
                "CREATE TABLE byrange_high PARTITION OF byrange FOR VALUES FROM (100) TO (1000)",
                "CREATE PUBLICATION byrange_pub FOR TABLE byrange WITH (publish_via_partition_root = true)");
        LogicalTable table = db.partitioned("byrange", "byrange_low", "id");
        try (ReplicationSession session = db.session()) {
            ExportedSnapshot slot = session.createSlot("byrange_slot");
            try (LogicalStream stream = session.stream("byrange_slot", "byrange_pub", slot.consistentPoint(), table,
                    LogicalStream.Limits.DEFAULT)) {
                db.exec("INSERT INTO byrange VALUES (1, 1), (500, 1)", "UPDATE byrange SET id = 501 WHERE id = 1",
                        "DELETE FROM byrange WHERE id = 500");
                List<String> seen = new ArrayList<>();
                for (Transaction t : until(stream,
                        ch -> ch.op() == Change.Op.DELETE && ch.values()[0].equals(500L))) {
                    t.changes().forEach(ch -> seen.add(ch.op() + " " + ch.values()[0]));
                }
                // a row moving between partitions is a delete and an insert in the log
                assertThat(seen).containsExactly("INSERT 1", "INSERT 500", "DELETE 1", "INSERT 501", "DELETE 500");
            }
        }
    }

    /** A contract that lists its columns is not disturbed by a column added beside them, as a scan is not. */
    @Test
    void aColumnAddedBesideListedColumnsChangesNothing() throws Exception {
        db.exec("CREATE TABLE listed (id BIGINT PRIMARY KEY, n INT, other INT)",
                "CREATE PUBLICATION listed_pub FOR TABLE listed");
        LogicalTable table = db.table("listed", "id", List.of("id", "n"));
        try (ReplicationSession session = db.session()) {
            ExportedSnapshot slot = session.createSlot("listed_slot");
            try (LogicalStream stream = session.stream("listed_slot", "listed_pub", slot.consistentPoint(), table,
                    LogicalStream.Limits.DEFAULT)) {
                db.exec("INSERT INTO listed VALUES (1, 1, 1)", "ALTER TABLE listed ADD COLUMN extra TEXT",
                        "INSERT INTO listed VALUES (2, 2, 2, 'x')");
                List<Transaction> txs = until(stream, ch -> ch.values()[0].equals(2L));
                assertThat(txs.get(txs.size() - 1).changes().get(0).values()).containsExactly(2L, 2L);
            }
        }
    }

    /** A table dropped and created again is a new relation: its changes are not skipped as another table's. */
    @Test
    void aRecreatedTableIsASchemaChangeNotSilence() throws Exception {
        db.exec("CREATE TABLE reborn (id BIGINT PRIMARY KEY)", "CREATE PUBLICATION reborn_pub FOR ALL TABLES");
        LogicalTable table = db.table("reborn", "id");
        try (ReplicationSession session = db.session()) {
            ExportedSnapshot slot = session.createSlot("reborn_slot");
            try (LogicalStream stream = session.stream("reborn_slot", "reborn_pub", slot.consistentPoint(), table,
                    LogicalStream.Limits.DEFAULT)) {
                db.exec("INSERT INTO reborn VALUES (1)", "DROP TABLE reborn", "CREATE TABLE reborn (id BIGINT PRIMARY "
                        + "KEY)", "INSERT INTO reborn VALUES (2)");
                assertThat(until(stream, ch -> true)).hasSize(1);
                assertThatThrownBy(() -> until(stream, ch -> true)).isInstanceOf(SchemaChangedException.class)
                        .hasMessageContaining("was dropped and created again");
            }
        }
    }

    /** One transaction is held whole in memory, within bounds; beyond them capture stops with the reason. */
    @Test
    void aTransactionBeyondTheBoundsIsAClearError() throws Exception {
        db.exec("CREATE TABLE bulk (id BIGINT PRIMARY KEY)", "CREATE PUBLICATION bulk_pub FOR TABLE bulk");
        LogicalTable table = db.table("bulk", "id");
        try (ReplicationSession session = db.session()) {
            ExportedSnapshot slot = session.createSlot("bulk_slot");
            try (LogicalStream stream = session.stream("bulk_slot", "bulk_pub", slot.consistentPoint(), table,
                    new LogicalStream.Limits(20_000, 64L * 1024 * 1024))) {
                db.exec("INSERT INTO bulk SELECT g FROM generate_series(1, 20000) g",
                        "INSERT INTO bulk SELECT g FROM generate_series(20001, 40001) g");
                assertThat(until(stream, ch -> true).get(0).changes()).hasSize(20_000);
                assertThatThrownBy(() -> until(stream, ch -> true)).isInstanceOf(CaptureException.class)
                        .hasMessageContaining("more than 20000 times");
            }
        }
    }

    /** DDL that changes what is exported stops the stream as a schema change, as a scan stops in SCHEMA_DRIFT. */
    @Test
    void aColumnAddedOrRetypedIsASchemaChange() throws Exception {
        db.exec("CREATE TABLE grows (id BIGINT PRIMARY KEY, n INT)", "CREATE TABLE retyped (id BIGINT PRIMARY KEY, n INT)",
                "CREATE PUBLICATION ddl_pub FOR TABLE grows, retyped");
        for (String[] ddl : new String[][] {{"grows", "ALTER TABLE grows ADD COLUMN extra TEXT", "column \"extra\" was added"},
            {"retyped", "ALTER TABLE retyped ALTER COLUMN n TYPE BIGINT", "column \"n\" changed type"}}) {
            LogicalTable table = db.table(ddl[0], "id");
            try (ReplicationSession session = db.session()) {
                ExportedSnapshot slot = session.createSlot(ddl[0] + "_slot");
                try (LogicalStream stream = session.stream(ddl[0] + "_slot", "ddl_pub", slot.consistentPoint(), table,
                        LogicalStream.Limits.DEFAULT)) {
                    db.exec("INSERT INTO " + ddl[0] + " VALUES (1, 1)", ddl[1], "INSERT INTO " + ddl[0] + " VALUES (2, 2)");
                    assertThat(until(stream, ch -> true)).hasSize(1);
                    assertThatThrownBy(() -> until(stream, ch -> true)).isInstanceOf(SchemaChangedException.class)
                            .hasMessageContaining("table public." + ddl[0]).hasMessageContaining(ddl[2]);
                }
            }
        }
    }
}
