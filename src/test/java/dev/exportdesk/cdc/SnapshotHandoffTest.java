package dev.exportdesk.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.source.ScanRange;
import dev.exportdesk.source.SourceSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The hand-off from the snapshot copy to the stream: with writers inserting, updating and hard
 * deleting throughout — before the slot, while the copy reads, after it, and in a transaction that
 * spans the copy — the copy plus the stream replays to exactly the source: nothing lost, nothing
 * twice (every update moves a row's version by exactly one), nothing unexpected.
 */
class SnapshotHandoffTest {
    static final int PRELOADED = 2_000;
    private static final int WRITERS = 3;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void everyWriteAppearsExactlyOnceAcrossTheCopyAndTheStream() throws Exception {
        LogicalDb db = LogicalDb.create();
        db.exec("CREATE TABLE ho (id BIGINT PRIMARY KEY, version BIGINT NOT NULL, note TEXT)",
                "ALTER TABLE ho REPLICA IDENTITY FULL",
                "CREATE PUBLICATION ho_pub FOR TABLE ho",
                "INSERT INTO ho SELECT g, 0, 'preloaded ' || g FROM generate_series(1, " + PRELOADED + ") g");
        LogicalTable table = db.table("ho", "id");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong writes = new AtomicLong();
        List<Thread> writers = new ArrayList<>();
        for (int w = 1; w <= WRITERS; w++) {
            Writer writer = new Writer(db, w, stop, writes);
            Thread t = new Thread(writer, "writer-" + w);
            t.start();
            writers.add(t);
        }
        Map<Long, Object[]> replay = new HashMap<>();
        List<String> violations = new ArrayList<>();
        long streamed = 0;
        try (ReplicationSession session = db.session(); Connection reader = db.connect();
             Connection longTx = db.connect()) {
            awaitWrites(writes, 200);
            ExportedSnapshot slot = session.createSlot("ho_slot");
            // a transaction that begins after the slot and commits after the copy: the stream's alone
            longTx.setAutoCommit(false);
            try (Statement st = longTx.createStatement()) {
                st.execute("INSERT INTO ho VALUES (-100, 0, 'long'), (-101, 0, 'long')");
            }
            SourceSchema schema = db.schema(reader, "ho", "id", n -> { });
            // the copy in key-range chunks, each its own transaction importing the snapshot, as the
            // engine's keyset chunker will; the writers go on between chunks
            List<Object[]> copy = new ArrayList<>();
            Long[] bounds = {null, 0L, 500L, 1000L, 1500L, (long) PRELOADED, null};
            for (int i = 0; i + 1 < bounds.length; i++) {
                slot.importInto(reader);
                copy.addAll(LogicalDb.scan(reader, schema, new ScanRange(bounds[i] == null ? null
                        : new Object[] {bounds[i]}, null, bounds[i + 1] == null ? null : new Object[] {bounds[i + 1]},
                        null)));
                awaitWrites(writes, writes.get() + 50);
            }
            slot.importInto(reader);
            List<Object[]> whole = LogicalDb.scan(reader, schema);
            assertThat(copy).as("the chunks, read at different times, are one snapshot")
                    .usingRecursiveComparison().isEqualTo(whole);
            longTx.commit();
            for (Object[] row : copy) {
                replay.put((Long) row[0], row);
            }
            try (LogicalStream stream = session.stream("ho_slot", "ho_pub", slot.consistentPoint(), table,
                    LogicalStream.Limits.DEFAULT)) {
                assertThat(slot.alive()).as("streaming ends the exported snapshot").isFalse();
                awaitWrites(writes, writes.get() + 300);
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
                        streamed++;
                        apply(replay, c, violations);
                        end |= c.op() == Change.Op.INSERT && c.values()[0].equals(-1L);
                    }
                    stream.confirm(t.get().endLsn());
                }
                assertThat(end).as("the end marker arrived").isTrue();
            }
        } finally {
            stop.set(true);
        }
        assertReplayIsTheSource(db, replay, violations);
        assertThat(streamed).as("changes came through the stream").isGreaterThan(300);
    }

    /**
     * Copy plus stream, replayed, against table {@code ho} now (the end marker -1 left out): no
     * violation, and lost, unexpected and differing rows are empty sets; the long transaction's rows are in.
     */
    static void assertReplayIsTheSource(LogicalDb db, Map<Long, Object[]> replay, List<String> violations)
            throws SQLException {
        replay.remove(-1L);
        Map<Long, Object[]> source = new HashMap<>();
        try (Connection c = db.connect()) {
            for (Object[] row : LogicalDb.scan(c, db.schema(c, "ho", "id", n -> { }))) {
                source.put((Long) row[0], row);
            }
        }
        source.remove(-1L);
        Set<Long> lost = new HashSet<>(source.keySet());
        lost.removeAll(replay.keySet());
        Set<Long> unexpected = new HashSet<>(replay.keySet());
        unexpected.removeAll(source.keySet());
        List<Long> different = source.keySet().stream().filter(replay::containsKey)
                .filter(k -> !Arrays.equals(source.get(k), replay.get(k))).toList();
        assertThat(violations).as("changes applied twice or to rows never seen").isEmpty();
        assertThat(lost).as("lost").isEmpty();
        assertThat(unexpected).as("unexpected").isEmpty();
        assertThat(different).as("rows whose replayed values differ").isEmpty();
        assertThat(source.keySet()).contains(-100L, -101L);
    }

    /** Applies one change; anything that shows a gap or an overlap is a violation. */
    static void apply(Map<Long, Object[]> replay, Change c, List<String> violations) {
        Long id = (Long) c.values()[0];
        Object[] before = replay.get(id);
        switch (c.op()) {
            case INSERT -> {
                if (before != null) {
                    violations.add("insert of " + id + ", which the copy or the stream already had");
                }
                replay.put(id, c.values());
            }
            case UPDATE -> {
                if (before == null) {
                    violations.add("update of " + id + ", which was never seen");
                } else if ((Long) c.values()[1] != (Long) before[1] + 1) {
                    violations.add("update of " + id + " to version " + c.values()[1] + " after " + before[1]);
                }
                replay.put(id, c.values());
            }
            case DELETE -> {
                if (replay.remove(id) == null) {
                    violations.add("delete of " + id + ", which was not there");
                }
            }
            case TRUNCATE -> violations.add("unexpected truncate");
        }
    }

    static void awaitWrites(AtomicLong writes, long atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (writes.get() < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(writes.get()).as("writers made progress").isGreaterThanOrEqualTo(atLeast);
    }

    /** Inserts, updates (version + 1) and hard deletes, one to three per transaction, until stopped. */
    record Writer(LogicalDb db, int number, AtomicBoolean stop, AtomicLong writes) implements Runnable {
        @Override
        public void run() {
            Random random = new Random(number);
            long next = number * 1_000_000_000L;
            try (Connection c = db.connect();
                 PreparedStatement insert = c.prepareStatement("INSERT INTO ho VALUES (?, 0, ?)");
                 PreparedStatement update = c.prepareStatement("UPDATE ho SET version = version + 1, note = ? "
                         + "WHERE id = ?");
                 PreparedStatement delete = c.prepareStatement("DELETE FROM ho WHERE id = ?")) {
                c.setAutoCommit(false);
                while (!stop.get()) {
                    try {
                        int ops = 1 + random.nextInt(3);
                        for (int i = 0; i < ops; i++) {
                            int kind = random.nextInt(10);
                            if (kind < 4) {
                                insert.setLong(1, ++next);
                                insert.setString(2, "w" + number + " ü " + next);
                                insert.execute();
                            } else if (kind < 8) {
                                update.setString(1, "updated by " + number);
                                update.setLong(2, target(random, next));
                                update.execute();
                            } else {
                                delete.setLong(1, target(random, next));
                                delete.execute();
                            }
                        }
                        c.commit();
                        writes.addAndGet(ops);
                    } catch (SQLException e) {
                        c.rollback(); // a deadlock between writers: the transaction did not happen
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        private long target(Random random, long next) {
            long base = number * 1_000_000_000L;
            return random.nextBoolean() || next == base ? 1 + random.nextInt(PRELOADED)
                    : base + 1 + (long) random.nextInt((int) (next - base));
        }
    }
}
