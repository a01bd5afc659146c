package dev.exportdesk.crash;

import java.util.Set;

import java.util.HashSet;

import dev.exportdesk.testing.Replay;

import com.fasterxml.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.testing.SourceDb;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * The crash loops' source activity on table {@code items}: seeding, one round of updates, inserts,
 * soft deletes and late commits, and the live rows to compare the partner's replay with: shared by
 * {@link CrashLoopTest} and the team-mode kill loop.
 */
final class ItemsActivity {
    private ItemsActivity() {
    }

    static long seed(SourceDb db, long from, long to, OffsetDateTime base) throws Exception {
        try (Connection c = db.connect(); PreparedStatement st = c.prepareStatement(
                "INSERT INTO items (id, version, payload, updated_at) VALUES (?, 1, ?, ?)")) {
            for (long id = from; id <= to; id++) {
                st.setLong(1, id);
                st.setString(2, "payload-" + id);
                st.setObject(3, base.plusSeconds(id / 50)); // fifty rows share each timestamp
                st.addBatch();
            }
            st.executeBatch();
        }
        return to + 1;
    }

    /** One round of source activity; returns the next free id. */
    static long mutate(SourceDb db, Random random, long nextId, OffsetDateTime now) throws Exception {
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement up = c.prepareStatement("UPDATE items SET version = version + 1, "
                    + "payload = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL")) {
                for (int i = 0; i < 1200; i++) {
                    up.setString(1, "changed-" + random.nextInt());
                    // a few updates are stamped behind the cursor, like a transaction that committed late
                    up.setObject(2, random.nextInt(20) == 0 ? now.minusSeconds(15) : now);
                    up.setLong(3, 1 + random.nextInt((int) nextId - 1));
                    up.addBatch();
                }
                up.executeBatch();
            }
            try (PreparedStatement ins = c.prepareStatement(
                    "INSERT INTO items (id, version, payload, updated_at) VALUES (?, 1, ?, ?)")) {
                for (int i = 0; i < 300; i++) {
                    ins.setLong(1, nextId);
                    ins.setString(2, "new-" + nextId);
                    ins.setObject(3, now);
                    ins.addBatch();
                    nextId++;
                }
                ins.executeBatch();
            }
            try (PreparedStatement del = c.prepareStatement("UPDATE items SET version = version + 1, deleted_at = ?, "
                    + "updated_at = ? WHERE id = ? AND deleted_at IS NULL")) {
                for (int i = 0; i < 20; i++) {
                    del.setObject(1, now);
                    del.setObject(2, now);
                    del.setLong(3, 1 + random.nextInt((int) nextId - 1));
                    del.addBatch();
                }
                del.executeBatch();
            }
            c.commit();
        }
        return nextId;
    }

    static Map<String, Integer> liveRows(SourceDb db) throws Exception {
        Map<String, Integer> rows = new HashMap<>();
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, version FROM items WHERE deleted_at IS NULL")) {
            while (rs.next()) {
                rows.put(Long.toString(rs.getLong(1)), rs.getInt(2));
            }
        }
        return rows;
    }

    /**
     * What every crash test asserts of the partner's copy, as set differences: no row lost, none the
     * source does not have, every row at the source's version, no (key, version) delivered twice.
     */
    static void assertReplayIsTheSource(Replay replay, SourceDb db) throws Exception {
        Map<String, Integer> partner = replay.versions();
        Map<String, Integer> source = liveRows(db);
        Set<String> lost = new HashSet<>(source.keySet());
        lost.removeAll(partner.keySet());
        Set<String> unexpected = new HashSet<>(partner.keySet());
        unexpected.removeAll(source.keySet());
        assertThat(lost).as("rows lost").isEmpty();
        assertThat(unexpected).as("rows the partner has that the source does not").isEmpty();
        assertThat(partner).as("row versions").isEqualTo(source);
        Set<String> seen = new HashSet<>();
        Set<String> duplicated = new HashSet<>();
        for (JsonNode row : replay.delivered) {
            String keyVersion = row.get("id").asText() + "@" + row.get("version").asText() + "/"
                    + row.get("_op").asText();
            if (!seen.add(keyVersion)) {
                duplicated.add(keyVersion);
            }
        }
        assertThat(duplicated).as("(key, version) delivered twice").isEmpty();
    }
}
