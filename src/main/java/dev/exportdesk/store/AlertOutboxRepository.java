package dev.exportdesk.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Table {@code alert_outbox} (V21): alerts to send and sent, one per (contract, kind, episode,
 * channel). PENDING rows are sent when {@code next_attempt_at} has come; SENT and GAVE_UP are final.
 */
public final class AlertOutboxRepository {
    public static final int MAX_SUMMARY = 1000;
    public static final int MAX_ERROR = 1000;
    /** The unique-key violation, the same SQLSTATE on H2 and PostgreSQL. */
    private static final String UNIQUE_VIOLATION = "23505";

    public record Row(long id, String contract, String kind, String episode, String channel, String state,
                      String summary, int attempts, Instant nextAttemptAt, String lastError, Instant createdAt,
                      Instant sentAt) {
    }

    /**
     * Adds a PENDING alert unless its (contract, kind, episode, channel) is already there; true when
     * added. Two processes evaluating at once both try: the unique key lets exactly one in, so call
     * this in a transaction of its own (PostgreSQL aborts a transaction at the violation).
     */
    public boolean enqueue(Connection c, String contract, String kind, String episode, String channel,
                           String summary, Instant now) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT 1 FROM alert_outbox WHERE contract_name = ? "
                + "AND kind = ? AND episode = ? AND channel = ?")) {
            Sql.bind(st, contract, kind, episode, channel);
            try (ResultSet rs = st.executeQuery()) {
                if (rs.next()) {
                    return false;
                }
            }
        }
        try (PreparedStatement st = c.prepareStatement("INSERT INTO alert_outbox(contract_name, kind, episode, "
                + "channel, state, summary, attempts, next_attempt_at, created_at) VALUES (?, ?, ?, ?, 'PENDING', ?, 0, "
                + "?, ?)")) {
            Sql.bind(st, contract, kind, episode, channel, Sql.message(summary, MAX_SUMMARY), now, now);
            st.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }

    /** PENDING alerts whose time has come, oldest first, at most {@code limit}. */
    public List<Row> due(Connection c, Instant now, int limit) throws SQLException {
        return query(c, "SELECT * FROM alert_outbox WHERE state = 'PENDING' AND next_attempt_at <= ? ORDER BY "
                + "next_attempt_at, id FETCH FIRST " + limit + " ROWS ONLY", now);
    }

    /** The newest {@code limit} alerts, any state. */
    public List<Row> recent(Connection c, int limit) throws SQLException {
        return query(c, "SELECT * FROM alert_outbox ORDER BY id DESC FETCH FIRST " + limit + " ROWS ONLY");
    }

    /**
     * Claims a due row for one send: bumps its attempt count and pushes its next attempt to
     * {@code retryAt} only if nobody else did since it was read; false when another process has it.
     */
    public boolean claim(Connection c, Row row, Instant retryAt) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE alert_outbox SET attempts = attempts + 1, "
                + "next_attempt_at = ? WHERE id = ? AND state = 'PENDING' AND attempts = ?")) {
            Sql.bind(st, retryAt, row.id(), row.attempts());
            return st.executeUpdate() == 1;
        }
    }

    public void sent(Connection c, long id, Instant at) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE alert_outbox SET state = 'SENT', sent_at = ?, "
                + "last_error = NULL WHERE id = ?")) {
            Sql.bind(st, at, id);
            st.executeUpdate();
        }
    }

    /** Records why a send failed; {@code giveUp} ends the retries (state GAVE_UP). */
    public void failed(Connection c, long id, String error, boolean giveUp) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE alert_outbox SET last_error = ?, state = ? WHERE id = ?")) {
            Sql.bind(st, Sql.message(error, MAX_ERROR), giveUp ? "GAVE_UP" : "PENDING", id);
            st.executeUpdate();
        }
    }

    private static List<Row> query(Connection c, String sql, Object... params) throws SQLException {
        List<Row> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(sql)) {
            Sql.bind(st, params);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new Row(rs.getLong("id"), rs.getString("contract_name"), rs.getString("kind"),
                            rs.getString("episode"), rs.getString("channel"), rs.getString("state"),
                            rs.getString("summary"), rs.getInt("attempts"), Sql.instant(rs, "next_attempt_at"),
                            rs.getString("last_error"), Sql.instant(rs, "created_at"), Sql.instant(rs, "sent_at")));
                }
            }
        }
        return out;
    }
}
