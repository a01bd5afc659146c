package dev.exportdesk.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.source.ScanRange;
import dev.exportdesk.source.SourceSchema;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The hand-off from a copy that was <em>not</em> read under one snapshot — as after a crash, when the
 * slot's exported snapshot died with the process — to the stream: every piece of the copy is read in
 * a transaction of its own while three writers insert, update and hard delete, and records its
 * {@code pg_current_snapshot()}; the stream from the slot's consistent point skips exactly the changes
 * the piece covering their key had seen ({@link CopySnapshots}). Copy plus stream replays to exactly
 * the source: nothing lost, nothing twice, nothing unexpected. Shipping every change instead breaks
 * that, which shows the test can fail.
 */
class ResumedCopyHandoffTest {
    private static final Comparator<Object[]> BY_ID = Comparator.comparingLong(k -> (Long) k[0]);

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aCopyReadUnderManySnapshotsHandsOverExactlyOnce() throws Exception {
        LogicalDb db = LogicalDb.create();
        db.exec("CREATE TABLE ho (id BIGINT PRIMARY KEY, version BIGINT NOT NULL, note TEXT)",
                "ALTER TABLE ho REPLICA IDENTITY FULL",
                "CREATE PUBLICATION ho_pub FOR TABLE ho",
                "INSERT INTO ho SELECT g, 0, 'preloaded ' || g FROM generate_series(1, "
                        + SnapshotHandoffTest.PRELOADED + ") g");
        LogicalTable table = db.table("ho", "id");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong writes = new AtomicLong();
        List<Thread> writers = new ArrayList<>();
        for (int w = 1; w <= 3; w++) {
            Thread t = new Thread(new SnapshotHandoffTest.Writer(db, w, stop, writes), "writer-" + w);
            t.start();
            writers.add(t);
        }
        Map<Long, Object[]> replay = new HashMap<>();
        Map<Long, Object[]> naive = new HashMap<>();
        List<String> violations = new ArrayList<>();
        List<String> naiveViolations = new ArrayList<>();
        long skipped = 0;
        try (ReplicationSession session = db.session(); Connection reader = db.connect();
             Connection longTx = db.connect()) {
            SnapshotHandoffTest.awaitWrites(writes, 200);
            ExportedSnapshot slot = session.createSlot("ho_resume_slot"); // its exported snapshot is never used
            longTx.setAutoCommit(false);
            try (Statement st = longTx.createStatement()) {
                st.execute("INSERT INTO ho VALUES (-100, 0, 'long'), (-101, 0, 'long')");
            }
            SourceSchema schema = db.schema(reader, "ho", "id", n -> { });
            Long[] bounds = {null, 0L, 400L, 800L, 1200L, 1600L, (long) SnapshotHandoffTest.PRELOADED, null};
            List<CopySnapshots.Piece> pieces = new ArrayList<>();
            XidSnapshot tail = null;
            Set<XidSnapshot> distinct = new HashSet<>();
            for (int i = 0; i + 1 < bounds.length; i++) {
                reader.setAutoCommit(false);
                reader.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                XidSnapshot read = XidSnapshot.current(reader);
                distinct.add(read);
                List<Object[]> rows = LogicalDb.scan(reader, schema, new ScanRange(bounds[i] == null ? null
                        : new Object[] {bounds[i]}, null, bounds[i + 1] == null ? null : new Object[] {bounds[i + 1]},
                        null));
                reader.rollback();
                for (Object[] row : rows) {
                    replay.put((Long) row[0], row);
                    naive.put((Long) row[0], row);
                }
                if (bounds[i + 1] == null) {
                    tail = read;
                } else {
                    pieces.add(new CopySnapshots.Piece(new Object[] {bounds[i + 1]}, read));
                }
                SnapshotHandoffTest.awaitWrites(writes, writes.get() + 50);
            }
            assertThat(distinct).as("each piece was read under a snapshot of its own").hasSize(bounds.length - 1);
            CopySnapshots copies = new CopySnapshots(pieces, tail, BY_ID);
            longTx.commit();
            try (LogicalStream stream = session.stream("ho_resume_slot", "ho_pub", slot.consistentPoint(), table,
                    LogicalStream.Limits.DEFAULT)) {
                SnapshotHandoffTest.awaitWrites(writes, writes.get() + 300);
                stop.set(true);
                for (Thread t : writers) {
                    t.join(30_000);
                    assertThat(t.isAlive()).as("%s stopped", t.getName()).isFalse();
                }
                db.exec("INSERT INTO ho VALUES (-1, 0, 'end marker')");
                boolean end = false;
                long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                while (!end && System.nanoTime() < deadline) {
                    Optional<Transaction> t = stream.poll(Duration.ofMillis(500));
                    if (t.isEmpty()) {
                        continue;
                    }
                    for (Change c : t.get().changes()) {
                        SnapshotHandoffTest.apply(naive, c, naiveViolations);
                        if (copies.copied(t.get().xid(), new Object[] {c.values()[0]})) {
                            skipped++;
                        } else {
                            SnapshotHandoffTest.apply(replay, c, violations);
                        }
                        end |= c.op() == Change.Op.INSERT && c.values()[0].equals(-1L);
                    }
                    stream.confirm(t.get().endLsn());
                }
                assertThat(end).as("the end marker arrived").isTrue();
            }
        } finally {
            stop.set(true);
        }
        SnapshotHandoffTest.assertReplayIsTheSource(db, replay, violations);
        assertThat(skipped).as("changes the copy already held, skipped").isGreaterThan(0);
        assertThat(naiveViolations).as("shipping every change from the consistent point repeats some").isNotEmpty();
    }
}
