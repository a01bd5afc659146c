package dev.exportdesk.cdc;

import dev.exportdesk.source.CursorCodec;
import dev.exportdesk.source.OutputText;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.postgresql.core.BaseConnection;
import org.postgresql.replication.LogSequenceNumber;

/**
 * The keys of the changes waiting in a slot — committed at or after a position, not yet shipped —
 * read without consuming them ({@code pg_logical_slot_peek_binary_changes}). Deep verification of
 * a logical contract uses them to tell a row that differs because its change is on its way from a
 * row that differs because a change was lost.
 */
public final class SlotPeek {
    /** Keys kept at most (about 20 MB): past this the answer is incomplete, never a larger heap. */
    static final int MAX_KEYS = 200_000;
    /**
     * @param keys the waiting changes' keys, as {@link CursorCodec} encodes them (an update that moved
     *             a row's key gives both)
     * @param truncate whether a TRUNCATE of the table is among them
     * @param complete false when more changes wait than were read, or the slot could not be read
     * @param problem why the slot could not be read, or null
     */
    public record Pending(Set<String> keys, boolean truncate, boolean complete, String problem) {
        static Pending unreadable(String problem) {
            return new Pending(Set.of(), false, false, problem);
        }
    }

    private SlotPeek() {
    }

    /**
     * Reads at most {@code maxChanges} of the changes waiting in {@code slot} for {@code table}, and
     * keeps the keys of those committed at or after {@code from} (at most {@link #MAX_KEYS}). The
     * slot stays where it was.
     */
    public static Pending waiting(Connection source, String slot, String publication, LogicalTable table,
                                  int[] keyIndexes, LogSequenceNumber from, int maxChanges) {
        SlotName.check("slot", slot);
        SlotName.check("publication", publication);
        boolean autoCommit;
        try {
            autoCommit = source.getAutoCommit();
        } catch (SQLException e) {
            return Pending.unreadable(e.getMessage());
        }
        try {
            source.setAutoCommit(false); // so the driver streams the rows instead of holding them all
            PgOutputDecoder decoder = new PgOutputDecoder(table, new OutputText(table.columns(),
                    source.unwrap(BaseConnection.class).getTimestampUtils()));
            Set<String> keys = new HashSet<>();
            List<String> open = new ArrayList<>();
            boolean truncate = false;
            boolean openTruncate = false;
            long read = 0;
            try (PreparedStatement st = source.prepareStatement("SELECT data FROM pg_logical_slot_peek_binary_changes("
                    + "?, NULL, ?, 'proto_version', '1', 'publication_names', ?)")) {
                st.setString(1, slot);
                st.setInt(2, maxChanges);
                st.setString(3, publication);
                st.setFetchSize(1000);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        if (keys.size() + open.size() >= MAX_KEYS) {
                            return new Pending(keys, truncate, false, null);
                        }
                        read++;
                        PgOutputDecoder.Event e = decoder.decode(ByteBuffer.wrap(rs.getBytes(1)));
                        if (e instanceof PgOutputDecoder.Begin) {
                            open.clear();
                            openTruncate = false;
                        } else if (e instanceof PgOutputDecoder.RowChange row) {
                            Change c = row.change();
                            if (c.op() == Change.Op.TRUNCATE) {
                                openTruncate = true;
                            } else {
                                open.add(CursorCodec.encode(key(c.values(), keyIndexes)));
                                if (c.oldKey() != null) {
                                    open.add(CursorCodec.encode(c.oldKey()));
                                }
                            }
                        } else if (e instanceof PgOutputDecoder.Commit commit && commit.commitLsn().compareTo(from) >= 0) {
                            keys.addAll(open);
                            truncate |= openTruncate;
                        }
                    }
                }
            } finally {
                source.rollback();
            }
            return new Pending(keys, truncate, read < maxChanges, null);
        } catch (SQLException | CaptureException e) {
            return Pending.unreadable(e.getMessage());
        } finally {
            try {
                source.setAutoCommit(autoCommit);
            } catch (SQLException ignored) {
                // the connection is the caller's, and closed by it
            }
        }
    }

    private static Object[] key(Object[] values, int[] keyIndexes) {
        Object[] key = new Object[keyIndexes.length];
        for (int i = 0; i < keyIndexes.length; i++) {
            key[i] = values[keyIndexes[i]];
        }
        return key;
    }
}
