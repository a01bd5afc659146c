package dev.exportdesk.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Append-only audit trail. There is deliberately no update or delete here. */
public final class AuditLog {

    public void append(Connection c, Instant at, String actor, String action, String subject, String before,
                       String after) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO audit_log(at, actor, action, subject, "
                + "before_json, after_json) VALUES (?, ?, ?, ?, ?, ?)")) {
            Sql.bind(st, at, actor, action, Sql.message(subject, 256), before, after);
            st.executeUpdate();
        }
    }

    public List<AuditEntry> recent(Connection c, int limit) throws SQLException {
        List<AuditEntry> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT * FROM audit_log ORDER BY id DESC")) {
            st.setMaxRows(limit);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new AuditEntry(rs.getLong("id"), Sql.instant(rs, "at"), rs.getString("actor"),
                            rs.getString("action"), rs.getString("subject"), rs.getString("before_json"),
                            rs.getString("after_json")));
                }
            }
        }
        return out;
    }

    /** The most recent entry with {@code action}, if any (for the console's ledger status). */
    public java.util.Optional<AuditEntry> latest(Connection c, String action) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT * FROM audit_log WHERE action = ? ORDER BY id DESC")) {
            Sql.bind(st, action);
            st.setMaxRows(1);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? java.util.Optional.of(new AuditEntry(rs.getLong("id"), Sql.instant(rs, "at"),
                        rs.getString("actor"), rs.getString("action"), rs.getString("subject"),
                        rs.getString("before_json"), rs.getString("after_json"))) : java.util.Optional.empty();
            }
        }
    }
}
