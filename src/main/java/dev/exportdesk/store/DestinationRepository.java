package dev.exportdesk.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Named destinations (administrators' records): each a destination object as JSON, contracts name them. */
public final class DestinationRepository {

    /** A row of {@code destinations}; {@code spec} holds secret names, never a secret. */
    public record DestinationRecord(String name, String spec, String updatedBy, Instant updatedAt) {
    }

    public Optional<DestinationRecord> find(Connection c, String name) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT * FROM destinations WHERE name = ?")) {
            Sql.bind(st, name);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        }
    }

    public List<DestinationRecord> list(Connection c) throws SQLException {
        List<DestinationRecord> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT * FROM destinations ORDER BY name");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.add(map(rs));
            }
        }
        return out;
    }

    public void insert(Connection c, String name, String spec, String actor, Instant now) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO destinations(name, spec, updated_by, updated_at) "
                + "VALUES (?, ?, ?, ?)")) {
            Sql.bind(st, name, spec, actor, now);
            st.executeUpdate();
        }
    }

    public void update(Connection c, String name, String spec, String actor, Instant now) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE destinations SET spec = ?, updated_by = ?, "
                + "updated_at = ? WHERE name = ?")) {
            Sql.bind(st, spec, actor, now, name);
            st.executeUpdate();
        }
    }

    public void delete(Connection c, String name) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("DELETE FROM destinations WHERE name = ?")) {
            Sql.bind(st, name);
            st.executeUpdate();
        }
    }

    private static DestinationRecord map(ResultSet rs) throws SQLException {
        return new DestinationRecord(rs.getString("name"), rs.getString("spec"), rs.getString("updated_by"),
                Sql.instant(rs, "updated_at"));
    }
}
