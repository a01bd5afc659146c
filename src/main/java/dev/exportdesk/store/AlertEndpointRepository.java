package dev.exportdesk.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Table {@code alert_endpoints} (V21): the webhook URLs an administrator allowed contracts to name. */
public final class AlertEndpointRepository {

    public record Row(String url, String createdBy, Instant createdAt) {
    }

    /** Returns false when the URL was already allowed. */
    public boolean add(Connection c, String url, String actor, Instant at) throws SQLException {
        if (allowed(c, url)) {
            return false;
        }
        try (PreparedStatement st = c.prepareStatement(
                "INSERT INTO alert_endpoints(url, created_by, created_at) VALUES (?, ?, ?)")) {
            Sql.bind(st, url, actor, at);
            st.executeUpdate();
        }
        return true;
    }

    public boolean remove(Connection c, String url) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("DELETE FROM alert_endpoints WHERE url = ?")) {
            Sql.bind(st, url);
            return st.executeUpdate() > 0;
        }
    }

    public boolean allowed(Connection c, String url) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT 1 FROM alert_endpoints WHERE url = ?")) {
            Sql.bind(st, url);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        }
    }

    public List<Row> list(Connection c) throws SQLException {
        List<Row> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(
                "SELECT url, created_by, created_at FROM alert_endpoints ORDER BY url");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.add(new Row(rs.getString(1), rs.getString(2), Sql.instant(rs, "created_at")));
            }
        }
        return out;
    }
}
