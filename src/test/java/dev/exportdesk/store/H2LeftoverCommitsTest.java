package dev.exportdesk.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stores a LogicalCrashLoopTest child left behind. In {@code h2-killed-mid-commit} SIGKILL landed
 * inside H2's commit of a run's heartbeat: before the fix, the resumed run's {@code UPDATE runs …}
 * of that row spun at 100 % CPU for ever. In {@code h2-orphaned-index-entry} it landed while a
 * chunk's PLANNED row was being inserted: H2's rollback on open removed the row but not its
 * primary-key entry, whose undo record had not reached the file, so every later attempt to plan that
 * chunk timed out on a lock no transaction held.
 */
class H2LeftoverCommitsTest {
    private static final String KILLED_RUN = "1f72e0bd-6f05-4e9e-bc42-54bf27146b9c";
    /** The run whose chunk 17 the killed attempt was planning when it died. */
    private static final String ORPHANED_CHUNK_RUN = "ee992011-ec6c-4991-a7d0-2877a069b1e3";
    /** The heartbeat the killed process was committing (its committed value before: …27.438935). */
    private static final String HEARTBEAT_BEING_COMMITTED = "2026-12-05 05:55:27.445798";

    @TempDir
    Path workspace;

    @Test
    void aCommitAKilledProcessLeftHalfDoneIsFinishedWhenTheStoreOpens() throws Exception {
        unpackFixture("h2-killed-mid-commit");
        try (Workspace ws = Workspace.open(workspace)) {
            StateStore store = ws.store();

            ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "leftover-row-writer");
                t.setDaemon(true);
                return t;
            });
            try {
                Future<Integer> update = writer.submit(() -> store.inTransaction(c -> {
                    try (PreparedStatement p = c.prepareStatement(
                            "UPDATE runs SET attempts = attempts + 1 WHERE id = ?")) {
                        p.setString(1, KILLED_RUN);
                        return p.executeUpdate();
                    }
                }));
                assertThat(update.get(Duration.ofSeconds(30).toSeconds(), TimeUnit.SECONDS))
                        .as("the killed run's row can be written again").isEqualTo(1);
            } finally {
                writer.shutdownNow();
            }

            String heartbeat = store.inTransaction(c -> heartbeat(c, Connection.TRANSACTION_READ_COMMITTED));
            assertThat(heartbeat).as("the commit is finished, not rolled back").startsWith(HEARTBEAT_BEING_COMMITTED);
            for (String table : List.of("runs", "chunks", "checkpoints", "audit_log")) {
                List<String> uncommitted = store.inTransaction(c -> rows(c, table, Connection.TRANSACTION_READ_UNCOMMITTED));
                List<String> committed = store.inTransaction(c -> rows(c, table, Connection.TRANSACTION_READ_COMMITTED));
                assertThat(uncommitted).as("no change of %s is left uncommitted", table).isEqualTo(committed);
            }
        }
    }

    @Test
    void anIndexEntryWhoseRollbackWasLostIsPutBackWhenTheStoreOpens() throws Exception {
        unpackFixture("h2-orphaned-index-entry");
        try (Workspace ws = Workspace.open(workspace)) {
            StateStore store = ws.store();
            int inserted = store.inTransaction(c -> {
                try (PreparedStatement p = c.prepareStatement("INSERT INTO chunks(run_id, seq, state, file_name, "
                        + "updated_at) VALUES (?, 17, 'PLANNED', 'chunk-000017.jsonl.zst', CURRENT_TIMESTAMP)")) {
                    p.setString(1, ORPHANED_CHUNK_RUN);
                    return p.executeUpdate();
                }
            });
            assertThat(inserted).as("the killed attempt's chunk can be planned again").isEqualTo(1);
            for (String table : List.of("runs", "chunks", "checkpoints", "audit_log")) {
                List<String> uncommitted = store.inTransaction(c -> rows(c, table, Connection.TRANSACTION_READ_UNCOMMITTED));
                List<String> committed = store.inTransaction(c -> rows(c, table, Connection.TRANSACTION_READ_COMMITTED));
                assertThat(uncommitted).as("no change of %s is left uncommitted", table).isEqualTo(committed);
            }
        }
    }

    private void unpackFixture(String fixture) throws IOException {
        Path state = Files.createDirectories(workspace.resolve("state"));
        for (String name : List.of("store.password", "workspace.id")) {
            try (InputStream in = fixture(fixture, name)) {
                Files.copy(in, state.resolve(name));
            }
        }
        try (InputStream in = new GZIPInputStream(fixture(fixture, "exportdesk.mv.db.gz"))) {
            Files.copy(in, state.resolve("exportdesk.mv.db"));
        }
        // the killed process never closed the store: its open mark is still there
        Files.createFile(state.resolve("exportdesk.open"));
    }

    private static InputStream fixture(String fixture, String name) {
        InputStream in = H2LeftoverCommitsTest.class.getResourceAsStream("/" + fixture + "/state/" + name);
        assertThat(in).as(name).isNotNull();
        return in;
    }

    private static String heartbeat(Connection c, int isolation) throws SQLException {
        c.setTransactionIsolation(isolation);
        try (PreparedStatement p = c.prepareStatement("SELECT heartbeat_at FROM runs WHERE id = ?")) {
            p.setString(1, KILLED_RUN);
            try (ResultSet rs = p.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        } finally {
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        }
    }

    private static List<String> rows(Connection c, String table, int isolation) throws SQLException {
        c.setTransactionIsolation(isolation);
        List<String> rows = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT * FROM " + table + " ORDER BY 1");
             ResultSet rs = p.executeQuery()) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(rs.getString(i)).append('|');
                }
                rows.add(row.toString());
            }
            return rows;
        } finally {
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        }
    }
}
