package dev.exportdesk.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Table {@code workers} (V20): who works for the store, and when each last said so (the store's clock). */
public final class WorkerRepository {

    /**
     * Registers {@code name} as running, replacing the row of an earlier process of that name; false
     * when a process of that name is running and heartbeating (two workers must not share a name).
     */
    public boolean register(Connection c, String name, String host, long pid, Instant now, Instant silentBefore)
            throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE workers SET host = ?, pid = ?, started_at = ?, "
                + "heartbeat_at = ?, state = 'RUNNING' WHERE name = ? AND (state = 'STOPPED' OR heartbeat_at < ?)")) {
            Sql.bind(st, Sql.truncate(host, 255), pid, now, now, name, silentBefore);
            if (st.executeUpdate() == 1) {
                return true;
            }
        }
        try (PreparedStatement st = c.prepareStatement("SELECT 1 FROM workers WHERE name = ?")) {
            Sql.bind(st, name);
            try (ResultSet rs = st.executeQuery()) {
                if (rs.next()) {
                    return false;
                }
            }
        }
        try (PreparedStatement st = c.prepareStatement("INSERT INTO workers(name, host, pid, started_at, "
                + "heartbeat_at, state) VALUES (?, ?, ?, ?, ?, 'RUNNING')")) {
            Sql.bind(st, name, Sql.truncate(host, 255), pid, now, now);
            st.executeUpdate();
        }
        return true;
    }

    public void heartbeat(Connection c, String name, WorkerState state, Instant now) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "UPDATE workers SET heartbeat_at = ?, state = ? WHERE name = ?")) {
            Sql.bind(st, now, state.name(), name);
            st.executeUpdate();
        }
    }

    public List<WorkerRecord> all(Connection c) throws SQLException {
        List<WorkerRecord> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT * FROM workers ORDER BY name");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.add(new WorkerRecord(rs.getString("name"), rs.getString("host"), rs.getLong("pid"),
                        Sql.instant(rs, "started_at"), Sql.instant(rs, "heartbeat_at"),
                        WorkerState.valueOf(rs.getString("state"))));
            }
        }
        return out;
    }
}
