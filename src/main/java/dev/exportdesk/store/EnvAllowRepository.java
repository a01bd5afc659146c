package dev.exportdesk.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The environment variables an administrator allowed contracts to name, each with its one scope. */
public final class EnvAllowRepository {

    /** One allowed (variable, scope) pair. */
    public record Row(String variable, String scope, String createdBy, Instant createdAt) {
    }

    /** Returns false when the pair was already allowed. */
    public boolean add(Connection c, String variable, String scope, String actor, Instant at) throws SQLException {
        if (allowed(c, variable, scope)) {
            return false;
        }
        try (PreparedStatement st = c.prepareStatement(
                "INSERT INTO env_allow_list(variable, scope, created_by, created_at) VALUES (?, ?, ?, ?)")) {
            Sql.bind(st, variable, scope, actor, at);
            st.executeUpdate();
        }
        return true;
    }

    public boolean remove(Connection c, String variable, String scope) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "DELETE FROM env_allow_list WHERE variable = ? AND scope = ?")) {
            Sql.bind(st, variable, scope);
            return st.executeUpdate() > 0;
        }
    }

    public boolean allowed(Connection c, String variable, String scope) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "SELECT 1 FROM env_allow_list WHERE variable = ? AND scope = ?")) {
            Sql.bind(st, variable, scope);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        }
    }

    public List<Row> list(Connection c) throws SQLException {
        List<Row> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(
                "SELECT variable, scope, created_by, created_at FROM env_allow_list ORDER BY variable, scope");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), Sql.instant(rs, "created_at")));
            }
        }
        return out;
    }
}
