package dev.exportdesk.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Table {@code contract_schedule_states} (V17): one row per contract whose schedule state was ever set. */
public final class ScheduleStateRepository {
    /** The column's size; callers bound and clean the reason before (the engine refuses longer ones). */
    public static final int MAX_REASON = 500;

    public Optional<ScheduleControl> find(Connection c, String contract) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT * FROM contract_schedule_states WHERE contract_name = ?")) {
            Sql.bind(st, contract);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    /** Every contract with a row, by name (a handful of rows: read whole for status displays). */
    public Map<String, ScheduleControl> all(Connection c) throws SQLException {
        Map<String, ScheduleControl> out = new HashMap<>();
        try (PreparedStatement st = c.prepareStatement("SELECT * FROM contract_schedule_states");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                ScheduleControl s = row(rs);
                out.put(s.contract(), s);
            }
        }
        return out;
    }

    /** Inserts or replaces the contract's row (update first: portable, no MERGE dialects). */
    public void set(Connection c, ScheduleControl s) throws SQLException {
        String reason = Sql.truncate(s.reason(), MAX_REASON);
        try (PreparedStatement st = c.prepareStatement("UPDATE contract_schedule_states SET state = ?, changed_at = ?, "
                + "changed_by = ?, reason = ? WHERE contract_name = ?")) {
            Sql.bind(st, s.state().name(), s.changedAt(), s.changedBy(), reason, s.contract());
            if (st.executeUpdate() == 1) {
                return;
            }
        }
        try (PreparedStatement st = c.prepareStatement("INSERT INTO contract_schedule_states(contract_name, state, "
                + "changed_at, changed_by, reason) VALUES (?, ?, ?, ?, ?)")) {
            Sql.bind(st, s.contract(), s.state().name(), s.changedAt(), s.changedBy(), reason);
            st.executeUpdate();
        }
    }

    private static ScheduleControl row(ResultSet rs) throws SQLException {
        return new ScheduleControl(rs.getString("contract_name"), ScheduleState.valueOf(rs.getString("state")),
                Sql.instant(rs, "changed_at"), rs.getString("changed_by"), rs.getString("reason"));
    }
}
