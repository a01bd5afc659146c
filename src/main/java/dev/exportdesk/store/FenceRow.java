package dev.exportdesk.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The row a fence checks (a run's lease, a key range's claim, a task's claim), read and locked for
 * the rest of the transaction: shared on PostgreSQL, so a holder's own transactions never wait for
 * each other, while a new claim, which updates the row, waits until the transaction has committed
 * and can never slip between the check and the writes after it. On PostgreSQL the transaction also
 * gets an idle timeout of one lease timeout: a worker frozen inside it has its session ended, so it
 * never blocks a takeover for longer. {@code state} is null where the table keeps none.
 */
record FenceRow(long epoch, String holder, String state) {

    /** {@code where} selects the one row by {@code keys}; empty when there is no such row. */
    static Optional<FenceRow> lock(Connection c, SqlDialect dialect, String table, boolean hasState, String where,
                                   Fence fence, Object... keys) throws SQLException {
        boolean pg = dialect == SqlDialect.POSTGRESQL;
        String sql = "SELECT epoch, holder, " + (hasState ? "state" : "NULL AS state")
                + (pg ? ", set_config('idle_in_transaction_session_timeout', ?, true)" : "")
                + " FROM " + table + " WHERE " + where + (pg ? " FOR SHARE" : " FOR UPDATE");
        Object[] params = keys;
        if (pg) {
            params = new Object[keys.length + 1];
            params[0] = Math.max(1000, fence.timeout().toMillis()) + "ms";
            System.arraycopy(keys, 0, params, 1, keys.length);
        }
        try (PreparedStatement st = c.prepareStatement(sql)) {
            Sql.bind(st, params);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(new FenceRow(rs.getLong("epoch"), rs.getString("holder"),
                        rs.getString("state"))) : Optional.empty();
            }
        }
    }
}
