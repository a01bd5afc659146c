package dev.exportdesk.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
        return between(c, null, null, limit);
    }

    /**
     * The newest {@code limit} entries at or after {@code from} and before {@code to} (either null:
     * open), newest first. The log grows without bound, so the range is asked of the database (the
     * {@code at} index of V14) rather than applied to rows already read.
     */
    public List<AuditEntry> between(Connection c, Instant from, Instant to, int limit) throws SQLException {
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT * FROM audit_log WHERE 1 = 1");
        // bound only when present: PostgreSQL cannot type a parameter that only meets "? IS NULL"
        if (from != null) {
            sql.append(" AND at >= ?");
            params.add(from);
        }
        if (to != null) {
            sql.append(" AND at < ?");
            params.add(to);
        }
        sql.append(" ORDER BY id DESC");
        List<AuditEntry> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(sql.toString())) {
            Sql.bind(st, params.toArray());
            st.setMaxRows(limit);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(entry(rs));
                }
            }
        }
        return out;
    }

    /** The most recent entry with {@code action}, if any (for the console's ledger status). */
    public Optional<AuditEntry> latest(Connection c, String action) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT * FROM audit_log WHERE action = ? ORDER BY id DESC")) {
            Sql.bind(st, action);
            st.setMaxRows(1);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(entry(rs)) : Optional.empty();
            }
        }
    }

    private static AuditEntry entry(ResultSet rs) throws SQLException {
        return new AuditEntry(rs.getLong("id"), Sql.instant(rs, "at"), rs.getString("actor"), rs.getString("action"),
                rs.getString("subject"), rs.getString("before_json"), rs.getString("after_json"));
    }
}
