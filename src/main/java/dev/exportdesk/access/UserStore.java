package dev.exportdesk.access;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code users} table (migration V4). Takes the connection of the caller's transaction. */
final class UserStore {

    record Stored(User user, String passwordHash) {
    }

    int count(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT COUNT(*) FROM users WHERE disabled_at IS NULL");
             ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    Optional<Stored> find(Connection c, String name) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "SELECT * FROM users WHERE name = ? AND disabled_at IS NULL")) {
            st.setString(1, name);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(new Stored(map(rs), rs.getString("password_hash"))) : Optional.empty();
            }
        }
    }

    List<User> list(Connection c) throws SQLException {
        List<User> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT * FROM users WHERE disabled_at IS NULL ORDER BY name");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.add(map(rs));
            }
        }
        return out;
    }

    void insert(Connection c, String name, Role role, String hash, Instant now, String createdBy)
            throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO users(name, role, password_hash, created_at, "
                + "created_by) VALUES (?, ?, ?, ?, ?)")) {
            st.setString(1, name);
            st.setString(2, role.name());
            st.setString(3, hash);
            st.setObject(4, now.atOffset(ZoneOffset.UTC));
            st.setString(5, createdBy);
            st.executeUpdate();
        }
    }

    private static User map(ResultSet rs) throws SQLException {
        OffsetDateTime created = rs.getObject("created_at", OffsetDateTime.class);
        return new User(rs.getLong("id"), rs.getString("name"), Role.valueOf(rs.getString("role")),
                created == null ? null : created.toInstant());
    }
}
