package dev.exportdesk.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Source connections (administrators' records); contracts refer to them by name. */
public final class SourceRepository {

    public Optional<SourceRecord> find(Connection c, String name) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT * FROM sources WHERE name = ?")) {
            Sql.bind(st, name);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        }
    }

    public List<SourceRecord> list(Connection c) throws SQLException {
        List<SourceRecord> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT * FROM sources ORDER BY name");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.add(map(rs));
            }
        }
        return out;
    }

    public void insert(Connection c, SourceRecord s, String actor, Instant now) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO sources(name, jdbc_url, user_name, user_env, "
                + "password_env, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            Sql.bind(st, s.name(), s.jdbcUrl(), s.user(), s.userEnv(), s.passwordEnv(), actor, now);
            st.executeUpdate();
        }
    }

    public void update(Connection c, SourceRecord s, String actor, Instant now) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE sources SET jdbc_url = ?, user_name = ?, user_env = ?, "
                + "password_env = ?, updated_by = ?, updated_at = ? WHERE name = ?")) {
            Sql.bind(st, s.jdbcUrl(), s.user(), s.userEnv(), s.passwordEnv(), actor, now, s.name());
            st.executeUpdate();
        }
    }

    /** Names of the contracts whose current version reads this source. */
    public List<String> usedBy(Connection c, String name) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT name FROM contracts WHERE source_name = ? ORDER BY name")) {
            Sql.bind(st, name);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    public void delete(Connection c, String name) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("DELETE FROM sources WHERE name = ?")) {
            Sql.bind(st, name);
            st.executeUpdate();
        }
    }

    private static SourceRecord map(ResultSet rs) throws SQLException {
        return new SourceRecord(rs.getString("name"), rs.getString("jdbc_url"), rs.getString("user_name"),
                rs.getString("user_env"), rs.getString("password_env"));
    }
}
