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
        return matching(c, AuditFilter.ALL, limit);
    }

    /**
     * The newest {@code limit} entries the filter matches, newest first. The log grows without
     * bound, so the filter is asked of the database (the {@code at} index of V16) rather than
     * applied to a page already read, which would miss every match older than the page.
     */
    public List<AuditEntry> matching(Connection c, AuditFilter filter, int limit) throws SQLException {
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT * FROM audit_log WHERE 1 = 1");
        // bound only when present: PostgreSQL cannot type a parameter that only meets "? IS NULL"
        condition(sql, params, " AND at >= ?", filter.from());
        condition(sql, params, " AND at < ?", filter.to());
        condition(sql, params, " AND actor = ?", filter.actor());
        condition(sql, params, " AND action = ?", filter.action());
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

    private static void condition(StringBuilder sql, List<Object> params, String clause, Object value) {
        if (value != null) {
            sql.append(clause);
            params.add(value);
        }
    }

    private static AuditEntry entry(ResultSet rs) throws SQLException {
        return new AuditEntry(rs.getLong("id"), Sql.instant(rs, "at"), rs.getString("actor"), rs.getString("action"),
                rs.getString("subject"), rs.getString("before_json"), rs.getString("after_json"));
    }
}
