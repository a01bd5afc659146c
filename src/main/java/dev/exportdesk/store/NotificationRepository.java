package dev.exportdesk.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Table {@code notifications} (V17): what the console told each user in a toast, kept so it
 * outlives the toast. Bounded per user: {@link #add} prunes to the newest {@link #KEEP} and drops
 * what is older than the cut-off the caller gives.
 */
public final class NotificationRepository {
    /** The newest notifications kept per user. */
    public static final int KEEP = 500;
    static final int MAX_TITLE = 256;
    static final int MAX_BODY = 16_000;

    /** Stores one notification (text cleaned of control and bidi characters, bounded) and prunes; returns its id. */
    public long add(Connection c, String recipient, Instant at, NotificationSeverity severity, String title,
                    String body, Instant keepSince) throws SQLException {
        long id;
        try (PreparedStatement st = c.prepareStatement("INSERT INTO notifications(recipient, at, severity, title, body) "
                + "VALUES (?, ?, ?, ?, ?)", new String[] {"id"})) {
            Sql.bind(st, recipient, at, severity.name(), Sql.message(title == null ? "" : title, MAX_TITLE),
                    Sql.message(body == null ? "" : body, MAX_BODY));
            st.executeUpdate();
            try (ResultSet keys = st.getGeneratedKeys()) {
                keys.next();
                id = keys.getLong(1);
            }
        }
        prune(c, recipient, keepSince);
        return id;
    }

    private static void prune(Connection c, String recipient, Instant keepSince) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("DELETE FROM notifications WHERE recipient = ? AND at < ?")) {
            Sql.bind(st, recipient, keepSince);
            st.executeUpdate();
        }
        Long oldestKept = null;
        try (PreparedStatement st = c.prepareStatement("SELECT id FROM notifications WHERE recipient = ? "
                + "ORDER BY id DESC OFFSET " + (KEEP - 1) + " ROWS FETCH FIRST 1 ROWS ONLY")) {
            Sql.bind(st, recipient);
            try (ResultSet rs = st.executeQuery()) {
                if (rs.next()) {
                    oldestKept = rs.getLong(1);
                }
            }
        }
        if (oldestKept != null) {
            try (PreparedStatement st = c.prepareStatement("DELETE FROM notifications WHERE recipient = ? AND id < ?")) {
                Sql.bind(st, recipient, oldestKept);
                st.executeUpdate();
            }
        }
    }

    /** The user's newest {@code limit} notifications, newest first. */
    public List<Notification> recent(Connection c, String recipient, int limit) throws SQLException {
        List<Notification> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT * FROM notifications WHERE recipient = ? ORDER BY id DESC")) {
            Sql.bind(st, recipient);
            st.setMaxRows(limit);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new Notification(rs.getLong("id"), rs.getString("recipient"), Sql.instant(rs, "at"),
                            NotificationSeverity.valueOf(rs.getString("severity")), rs.getString("title"),
                            rs.getString("body"), Sql.instant(rs, "read_at")));
                }
            }
        }
        return out;
    }

    /** Marks every unread notification of the user read. */
    public void markAllRead(Connection c, String recipient, Instant at) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE notifications SET read_at = ? WHERE recipient = ? "
                + "AND read_at IS NULL")) {
            Sql.bind(st, at, recipient);
            st.executeUpdate();
        }
    }
}
