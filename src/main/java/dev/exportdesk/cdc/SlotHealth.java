package dev.exportdesk.cdc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import org.postgresql.replication.LogSequenceNumber;

/**
 * How much a slot holds back on the server, read from {@code pg_replication_slots} on an ordinary
 * connection (the view is readable by every role). A slot that is gone or lost cannot be resumed,
 * and is reported as {@link ResyncRequiredException} rather than as a status to retry on.
 */
public final class SlotHealth {
    private SlotHealth() {
    }

    /** {@code pg_replication_slots.wal_status}. */
    public enum WalStatus {
        /** Within max_wal_size. */
        RESERVED,
        /** Beyond max_wal_size, kept by wal_keep_size or max_slot_wal_keep_size. */
        EXTENDED,
        /** The next checkpoint may remove WAL the slot needs: about to be lost. */
        UNRESERVED,
        /** Invalidated: the WAL it needs is gone. */
        LOST
    }

    /**
     * @param retainedBytes WAL the server keeps for this slot (current position − restart_lsn)
     * @param lagBytes      WAL written since the last confirmed delivery (current − confirmed_flush_lsn)
     * @param safeWalBytes  how much more WAL can be written before the slot is lost; null when unbounded
     * @param activePid     the walsender streaming it, null when nobody is
     */
    public record Status(String slot, WalStatus walStatus, long retainedBytes, long lagBytes, Long safeWalBytes,
                         LogSequenceNumber confirmedFlush, Integer activePid) {
    }

    /** A server newer than this build may report a state it does not know: refused by name, never guessed. */
    private static WalStatus walStatus(String slot, String text) {
        for (WalStatus s : WalStatus.values()) {
            if (s.name().toLowerCase(Locale.ROOT).equals(text)) {
                return s;
            }
        }
        throw new CaptureException("replication slot \"" + slot + "\" reports a wal_status this version does not "
                + "know (it knows reserved, extended, unreserved and lost); its health cannot be judged");
    }

    /** The health of {@code slot}, which must be a pgoutput slot of the connection's database. */
    public static Status check(Connection c, String slot) {
        SlotName.check("slot", slot);
        try (PreparedStatement st = c.prepareStatement("SELECT s.wal_status, "
                + "pg_wal_lsn_diff(pg_current_wal_lsn(), s.restart_lsn)::bigint, "
                + "pg_wal_lsn_diff(pg_current_wal_lsn(), s.confirmed_flush_lsn)::bigint, s.safe_wal_size, "
                + "s.confirmed_flush_lsn::text, s.active_pid, s.slot_type, s.plugin, s.database = current_database() "
                + "FROM pg_replication_slots s WHERE s.slot_name = ?")) {
            st.setString(1, slot);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    throw new ResyncRequiredException(slot, ResyncRequiredException.Reason.MISSING, "replication slot \"" + slot + "\" does not exist (it was "
                            + "dropped behind our back): re-sync required — the changes since the last delivery are "
                            + "gone");
                }
                if (!"logical".equals(rs.getString(7)) || !"pgoutput".equals(rs.getString(8)) || !rs.getBoolean(9)) {
                    throw new CaptureException("replication slot \"" + slot + "\" is not a pgoutput slot of this "
                            + "database; choose another slot name for the contract");
                }
                String status = rs.getString(1);
                if (status == null || status.equals("lost")) {
                    throw new ResyncRequiredException(slot, ResyncRequiredException.Reason.LOST, "replication slot \"" + slot + "\" is lost (the server "
                            + "removed WAL it still needed, see max_slot_wal_keep_size): re-sync required");
                }
                long safe = rs.getLong(4);
                Long safeBytes = rs.wasNull() ? null : safe;
                int pid = rs.getInt(6);
                Integer activePid = rs.wasNull() ? null : pid;
                String confirmed = rs.getString(5);
                return new Status(slot, walStatus(slot, status), rs.getLong(2),
                        rs.getLong(3), safeBytes,
                        confirmed == null ? LogSequenceNumber.INVALID_LSN : LogSequenceNumber.valueOf(confirmed),
                        activePid);
            }
        } catch (SQLException e) {
            throw new CaptureException("cannot read the health of replication slot \"" + slot + "\": "
                    + e.getMessage(), e);
        }
    }
}
