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

/** The {@code users} table (migrations V4, V8). Takes the connection of the caller's transaction. */
final class UserStore {

    record Stored(User user, String passwordHash, boolean mustChangePassword, int failedSignIns,
                  Instant lockedUntil) {
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
                return rs.next() ? Optional.of(new Stored(map(rs), rs.getString("password_hash"),
                        rs.getBoolean("must_change_password"), rs.getInt("failed_sign_ins"),
                        instant(rs, "locked_until"))) : Optional.empty();
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

    /** Any user with that name, disabled or not. */
    Optional<UserService.Account> account(Connection c, String name) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT * FROM users WHERE name = ?")) {
            st.setString(1, name);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(mapAccount(rs)) : Optional.empty();
            }
        }
    }

    /**
     * The user with that id, disabled or not: a session knows its user by id, so a removed user's
     * name taken again by someone new does not revive the old session.
     */
    Optional<UserService.Account> account(Connection c, long id) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT * FROM users WHERE id = ?")) {
            st.setLong(1, id);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(mapAccount(rs)) : Optional.empty();
            }
        }
    }

    List<UserService.Account> accounts(Connection c) throws SQLException {
        List<UserService.Account> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT * FROM users ORDER BY name");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.add(mapAccount(rs));
            }
        }
        return out;
    }

    int enabledAdmins(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "SELECT COUNT(*) FROM users WHERE role = ? AND disabled_at IS NULL")) {
            st.setString(1, Role.ADMIN.name());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    void setRole(Connection c, String name, Role role) throws SQLException {
        update(c, "UPDATE users SET role = ? WHERE name = ?", name, role.name());
    }

    void setDisabledAt(Connection c, String name, Instant at) throws SQLException {
        update(c, "UPDATE users SET disabled_at = ? WHERE name = ?", name,
                at == null ? null : at.atOffset(ZoneOffset.UTC));
    }

    /** A new password hash; {@code mustChange} marks it temporary (an admin's reset). */
    void setPasswordHash(Connection c, String name, String hash, boolean mustChange) throws SQLException {
        update(c, "UPDATE users SET password_hash = ?, must_change_password = ? WHERE name = ?", name, hash,
                mustChange);
    }

    void delete(Connection c, String name) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("DELETE FROM users WHERE name = ?")) {
            st.setString(1, name);
            st.executeUpdate();
        }
    }

    /** Sets {@code values} (a null is a timestamp's), then the user's name last. */
    private static void update(Connection c, String sql, String name, Object... values) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                if (values[i] == null) {
                    st.setNull(i + 1, java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
                } else {
                    st.setObject(i + 1, values[i]);
                }
            }
            st.setString(values.length + 1, name);
            if (st.executeUpdate() != 1) {
                throw new SQLException("no user named " + name);
            }
        }
    }

    private static UserService.Account mapAccount(ResultSet rs) throws SQLException {
        return new UserService.Account(map(rs), rs.getString("created_by"), instant(rs, "disabled_at"),
                rs.getBoolean("must_change_password"), instant(rs, "last_sign_in_at"), instant(rs, "locked_until"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    /** A failed sign-in: the new count, and the lock when it reached the limit (then the count starts again). */
    void recordFailure(Connection c, String name, int failed, Instant lockedUntil) throws SQLException {
        update(c, "UPDATE users SET failed_sign_ins = ?, locked_until = ? WHERE name = ?", name, failed,
                lockedUntil == null ? null : lockedUntil.atOffset(ZoneOffset.UTC));
    }

    /** A successful sign-in clears the count and any lock that has run out. */
    void recordSignIn(Connection c, String name, Instant at) throws SQLException {
        update(c, "UPDATE users SET failed_sign_ins = 0, locked_until = NULL, last_sign_in_at = ? WHERE name = ?",
                name, at.atOffset(ZoneOffset.UTC));
    }

    /** An admin's reset lets a locked-out user in again (with the temporary password). */
    void unlock(Connection c, String name) throws SQLException {
        update(c, "UPDATE users SET failed_sign_ins = 0, locked_until = NULL WHERE name = ?", name);
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
