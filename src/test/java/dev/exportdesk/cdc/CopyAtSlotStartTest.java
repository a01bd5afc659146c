package dev.exportdesk.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.testing.ChildJvm;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.PostgresCluster;
import dev.exportdesk.testing.Replay;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The race at the slot's start: a transaction whose commit is in the log before the slot's
 * consistent point, but which the server has not yet made visible to other sessions, belongs to
 * the copy — the slot will never give it. A synchronous commit waiting for a standby that never
 * answers holds a transaction exactly there (committed in the log, still in progress for every
 * snapshot) for as long as the test likes. If the copy read before it became visible, its hard
 * deletes would be lost: the copy ships the rows, the stream never sees their deletes.
 *
 * <p>The slot's snapshot builder waits for the transactions it saw running; the test steers it
 * through its phases with two open transactions (R, then R2), so the committed-but-invisible
 * transaction U began after the second phase and is merely listed as running when the slot becomes
 * consistent. PostgreSQL (15.20 here) then waits for U before it exports the slot's snapshot, so
 * creating the slot with an exported snapshot — which {@code ReplicationSession.createSlot} does,
 * though the copy reads under snapshots of its own — is what makes every copy attempt see U. A slot
 * created without one ({@code NOEXPORT_SNAPSHOT}) returns at once, and this test fails.
 */
class CopyAtSlotStartTest {
    private static final List<String> CHILD_JVM = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-Xshare:auto");

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aTransactionCommittedBeforeTheSlotStartButNotYetVisibleIsInTheCopy() throws Exception {
        // only a session that asks for it waits for the (absent) synchronous standby
        PostgresCluster cluster = PostgresCluster.startOwn(" -c wal_level=logical -c max_replication_slots=10"
                + " -c max_wal_senders=10");
        SourceDb db = new SourceDb("postgresql", cluster.createDatabase("race"), "postgres");
        db.exec("ALTER ROLE " + PostgresCluster.READER + " REPLICATION",
                "CREATE TABLE items (id BIGINT PRIMARY KEY, version INT NOT NULL, payload TEXT NOT NULL)",
                "ALTER TABLE items REPLICA IDENTITY FULL",
                "CREATE PUBLICATION items_pub FOR TABLE items",
                "INSERT INTO items SELECT g, 1, 'row ' || g FROM generate_series(1, 300) g");
        Path drop = dir.resolve("drop");
        Path workspace = dir.resolve("ws");
        ObjectNode contract = Contracts.base("items", db, "items", drop);
        Contracts.logical(contract, "items_pub", "race_slot");
        try (TestEngine t = TestEngine.open(workspace)) {
            t.importContract(contract.toString());
        }
        db.exec("ALTER SYSTEM SET synchronous_standby_names = 'ghost'", "SELECT pg_reload_conf()");
        Thread.sleep(500); // every backend reads the setting again before its next command

        boolean copyWaited;
        try (Connection admin = db.connect(); Connection r = db.connect(); Connection r2 = db.connect();
             Connection u = db.connect()) {
            r.setAutoCommit(false);
            long rx = xid(r);
            Process copy = ChildJvm.start(dir.resolve("copy.log"), CHILD_JVM, "--workspace", workspace.toString(),
                    "run", "items");
            // phase 1: the builder saw R running and waits for it
            await("slot creation waits for R", copy, () -> walsenderWaitsFor(admin, rx));
            r2.setAutoCommit(false);
            long r2x = xid(r2);
            r.commit();
            // phase 2: it saw R2 (which began after phase 1) and waits for it
            await("slot creation waits for R2", copy, () -> walsenderWaitsFor(admin, r2x));
            try (Statement st = u.createStatement()) {
                st.execute("SET synchronous_commit = on");
            }
            u.setAutoCommit(false);
            try (Statement st = u.createStatement()) {
                st.execute("DELETE FROM items WHERE id IN (10, 20, 30)");
            }
            CompletableFuture<Void> uCommit = CompletableFuture.runAsync(() -> {
                try {
                    u.commit(); // in the log now; visible only once the standby answers
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            await("U's commit is in the log and waits for the standby", copy, () -> waitsForStandby(admin));
            // phase 3: R2 ends, the next record lists only U, and the slot is consistent after U's commit
            r2.commit();
            await("the slot exists", copy, () -> slotExists(admin));
            boolean copyEndedFirst = copy.waitFor(5, TimeUnit.SECONDS);
            try (Statement st = admin.createStatement()) {
                st.execute("ALTER SYSTEM SET synchronous_standby_names = ''");
                st.execute("SELECT pg_reload_conf()"); // releases U: now visible
            }
            uCommit.get(30, TimeUnit.SECONDS);
            assertThat(copy.waitFor(90, TimeUnit.SECONDS)).as("the copy ended").isTrue();
            assertThat(copy.exitValue()).as(Files.readString(dir.resolve("copy.log"))).isZero();
            copyWaited = !copyEndedFirst;
        }

        int code = ChildJvm.run(dir.resolve("stream.log"), CHILD_JVM, 120, "--workspace", workspace.toString(),
                "run", "items");
        assertThat(code).as(Files.readString(dir.resolve("stream.log"))).isZero();
        Replay replay = Replay.of(drop.resolve("items"), "id");
        Map<String, Integer> partner = replay.versions();
        Map<String, Integer> source = db.versions("items");
        Map<String, Integer> unexpected = new HashMap<>(partner);
        unexpected.keySet().removeAll(source.keySet());
        assertThat(unexpected).as("rows the partner holds that U deleted before the slot began").isEmpty();
        assertThat(partner).isEqualTo(source);
        assertThat(source.keySet()).doesNotContainAnyElementsOf(Set.of("10", "20", "30"));
        assertThat(copyWaited).as("the copy waited for U to become visible").isTrue();
    }

    private static long xid(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT txid_current()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static boolean walsenderWaitsFor(Connection admin, long xid) {
        return query(admin, "SELECT 1 FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE NOT l.granted "
                + "AND l.locktype = 'transactionid' AND a.backend_type = 'walsender' AND l.transactionid::text = ?",
                Long.toString(xid & 0xFFFF_FFFFL));
    }

    private static boolean waitsForStandby(Connection admin) {
        return query(admin, "SELECT 1 FROM pg_stat_activity WHERE wait_event = 'SyncRep' AND ? <> ''", "x");
    }

    private static boolean slotExists(Connection admin) {
        return query(admin, "SELECT 1 FROM pg_replication_slots WHERE slot_name = ?", "race_slot");
    }

    private static boolean query(Connection admin, String sql, String parameter) {
        try (PreparedStatement st = admin.prepareStatement(sql)) {
            st.setString(1, parameter);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void await(String what, Process child, BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (!child.isAlive() || System.nanoTime() > deadline) {
                child.destroyForcibly();
                throw new AssertionError("not reached: " + what + "\n" + Files.readString(dir.resolve("copy.log")));
            }
            Thread.sleep(20);
        }
    }
}
