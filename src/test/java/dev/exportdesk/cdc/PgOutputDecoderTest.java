package dev.exportdesk.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.exportdesk.source.OutputText;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.postgresql.core.BaseConnection;

/**
 * The stream is input: real pgoutput messages from PostgreSQL 15, cut short and garbled, and
 * hand-made hostile ones (lengths and counts far beyond the message) end in a CaptureException —
 * never another exception, an allocation sized by the stream, or a hang.
 */
class PgOutputDecoderTest {
    private static LogicalDb db;
    private static LogicalTable table;
    private static OutputText text;
    /** Every message the server sent for the changes below, in order. */
    private static final List<byte[]> MESSAGES = new ArrayList<>();

    @BeforeAll
    static void messages() throws Exception {
        db = LogicalDb.create();
        db.exec("CREATE TABLE fz (id BIGINT PRIMARY KEY, t TEXT, n NUMERIC(12,3), ts TIMESTAMPTZ, b BYTEA, ok BOOL)",
                "ALTER TABLE fz REPLICA IDENTITY FULL",
                "CREATE TABLE other (id INT PRIMARY KEY)",
                "CREATE PUBLICATION fz_pub FOR TABLE fz, other",
                "SELECT pg_create_logical_replication_slot('fz_slot', 'pgoutput')",
                "INSERT INTO fz VALUES (1, 'ü€', 1.5, '2024-05-01 10:00:00+00', '\\x00ff', true), "
                        + "(2, NULL, NULL, NULL, NULL, NULL)",
                "INSERT INTO other VALUES (1)",
                "UPDATE fz SET t = 'changed' WHERE id = 1",
                "UPDATE fz SET id = 3 WHERE id = 2",
                "DELETE FROM fz WHERE id = 1",
                "TRUNCATE fz, other");
        table = db.table("fz", "id");
        try (Connection c = db.connect();
             PreparedStatement st = c.prepareStatement("SELECT data FROM pg_logical_slot_peek_binary_changes("
                     + "'fz_slot', NULL, NULL, 'proto_version', '1', 'publication_names', 'fz_pub')");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                MESSAGES.add(rs.getBytes(1));
            }
            text = new OutputText(table.columns(), c.unwrap(BaseConnection.class).getTimestampUtils());
        }
        db.exec("SELECT pg_drop_replication_slot('fz_slot')");
    }

    private static PgOutputDecoder decoder() {
        return new PgOutputDecoder(table, text);
    }

    @Test
    void theServersMessagesDecode() {
        PgOutputDecoder d = decoder();
        List<String> events = new ArrayList<>();
        for (byte[] m : MESSAGES) {
            PgOutputDecoder.Event e = d.decode(ByteBuffer.wrap(m));
            if (e instanceof PgOutputDecoder.RowChange row) {
                events.add(row.change().op().name());
            } else if (!(e instanceof PgOutputDecoder.Skipped)) {
                events.add(e.getClass().getSimpleName());
            }
        }
        assertThat(events).containsExactly("Begin", "INSERT", "INSERT", "Commit", "Begin", "Commit", "Begin", "UPDATE",
                "Commit", "Begin", "UPDATE", "Commit", "Begin", "DELETE", "Commit", "Begin", "TRUNCATE", "Commit");
    }

    /** Each message with the Relation messages before it already read, so the cut is the only fault. */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void everyTruncationIsAClearError() {
        int cuts = 0;
        for (int i = 0; i < MESSAGES.size(); i++) {
            byte[] m = MESSAGES.get(i);
            for (int len = 0; len < m.length; len++) {
                PgOutputDecoder d = primed(i);
                ByteBuffer cut = ByteBuffer.wrap(m, 0, len).slice();
                assertThatThrownBy(() -> d.decode(cut)).as("message %d cut to %d bytes", i, len)
                        .isInstanceOf(CaptureException.class)
                        .hasMessageContaining("malformed pgoutput message");
                cuts++;
            }
        }
        assertThat(cuts).isGreaterThan(500);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void garbledMessagesDecodeOrFailClearly() {
        Random random = new Random(15);
        int[] extremes = {0x7fffffff, 0xffffffff, 0x80000000, 0x7fff, 0xffff, 1 << 20};
        int failed = 0;
        for (int round = 0; round < 30_000; round++) {
            int i = random.nextInt(MESSAGES.size());
            byte[] m = MESSAGES.get(i).clone();
            int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits && m.length > 0; e++) {
                int at = random.nextInt(m.length);
                if (random.nextBoolean() || at + 4 > m.length) {
                    m[at] = (byte) random.nextInt(256);
                } else {
                    ByteBuffer.wrap(m).putInt(at, extremes[random.nextInt(extremes.length)]);
                }
            }
            PgOutputDecoder d = primed(i);
            try {
                d.decode(ByteBuffer.wrap(m));
            } catch (CaptureException expected) {
                failed++;
            }
        }
        assertThat(failed).as("most garbled messages are refused").isGreaterThan(10_000);
    }

    @Test
    void hostileLengthsAndCountsAreRefusedBeforeUse() {
        byte[] relation = MESSAGES.stream().filter(m -> m[0] == 'R').findFirst().orElseThrow();
        int oid = ByteBuffer.wrap(relation).getInt(1);
        // an insert whose first text value claims 2 GB
        ByteBuffer insert = ByteBuffer.allocate(64).put((byte) 'I').putInt(oid).put((byte) 'N').putShort((short) 6)
                .put((byte) 't').putInt(Integer.MAX_VALUE).put((byte) '1');
        assertRefused(insert, "truncated");
        ByteBuffer negative = ByteBuffer.allocate(64).put((byte) 'I').putInt(oid).put((byte) 'N').putShort((short) 6)
                .put((byte) 't').putInt(-5);
        assertRefused(negative, "truncated");
        ByteBuffer columns = ByteBuffer.allocate(64).put((byte) 'R').putInt(99).put("s\0t\0".getBytes())
                .put((byte) 'd').putShort((short) 32767);
        assertRefused(columns, "count 32767");
        ByteBuffer truncate = ByteBuffer.allocate(64).put((byte) 'T').putInt(Integer.MAX_VALUE).put((byte) 0);
        assertRefused(truncate, "count 2147483647");
        byte[] name = new byte[5_000_000];
        java.util.Arrays.fill(name, (byte) 'a');
        ByteBuffer origin = ByteBuffer.allocate(9 + name.length).put((byte) 'O').putLong(1).put(name);
        assertRefused(origin, "longer than");
        assertRefused(ByteBuffer.allocate(1).put((byte) 'S'), "unexpected message type 'S'");
        ByteBuffer binary = ByteBuffer.allocate(64).put((byte) 'I').putInt(oid).put((byte) 'N').putShort((short) 6)
                .put((byte) 'b').putInt(1).put((byte) 1);
        assertRefused(binary, "binary");
        ByteBuffer hugeNumber = ByteBuffer.allocate(64).put((byte) 'I').putInt(oid).put((byte) 'N')
                .putShort((short) 6).put((byte) 't').putInt(1).put((byte) '1').put((byte) 'n').put((byte) 't').putInt(12)
                .put("1e2147483647".getBytes()).put((byte) 'n').put((byte) 'n').put((byte) 'n');
        assertRefused(hugeNumber, "column \"n\"");
        ByteBuffer unknown = ByteBuffer.allocate(64).put((byte) 'I').putInt(oid + 1).put((byte) 'N').putShort((short) 0);
        assertRefused(unknown, "before its Relation message");
    }

    private static void assertRefused(ByteBuffer message, String why) {
        message.flip();
        PgOutputDecoder d = primed(MESSAGES.size());
        assertThatThrownBy(() -> d.decode(message)).isInstanceOf(CaptureException.class).hasMessageContaining(why);
    }

    /** A decoder that has read the Relation messages among the first {@code n} messages. */
    private static PgOutputDecoder primed(int n) {
        PgOutputDecoder d = decoder();
        for (int i = 0; i < n; i++) {
            if (MESSAGES.get(i)[0] == 'R') {
                d.decode(ByteBuffer.wrap(MESSAGES.get(i)));
            }
        }
        return d;
    }
}
