package dev.exportdesk.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** Table {@code alert_smtp} (V21): the one SMTP server alert e-mail leaves through, or none. */
public final class AlertSmtpRepository {
    private static final int ID = 1;

    /** {@code security}: STARTTLS, TLS or NONE; {@code passwordSecret}: a vault secret's name, or null. */
    public record Settings(String host, int port, String security, String sender, String username,
                           String passwordSecret, String updatedBy, Instant updatedAt) {
    }

    public Optional<Settings> get(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT * FROM alert_smtp WHERE id = ?")) {
            Sql.bind(st, ID);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Settings(rs.getString("host"), rs.getInt("port"), rs.getString("security"),
                        rs.getString("sender"), rs.getString("username"), rs.getString("password_secret"),
                        rs.getString("updated_by"), Sql.instant(rs, "updated_at")));
            }
        }
    }

    public void set(Connection c, Settings s) throws SQLException {
        clear(c);
        try (PreparedStatement st = c.prepareStatement("INSERT INTO alert_smtp(id, host, port, security, sender, "
                + "username, password_secret, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            Sql.bind(st, ID, s.host(), s.port(), s.security(), s.sender(), s.username(), s.passwordSecret(),
                    s.updatedBy(), s.updatedAt());
            st.executeUpdate();
        }
    }

    public boolean clear(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("DELETE FROM alert_smtp WHERE id = ?")) {
            Sql.bind(st, ID);
            return st.executeUpdate() > 0;
        }
    }
}
