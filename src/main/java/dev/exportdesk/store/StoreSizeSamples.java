package dev.exportdesk.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** The state store's file size as its health check found it, a bounded history (table {@code store_size_samples}). */
public final class StoreSizeSamples {

    public record Sample(Instant at, long sizeBytes) {
    }

    /** A team store's size as PostgreSQL counts it (its volume is the database server's, not visible here). */
    public long databaseBytes(Connection c) throws SQLException {
        try (java.sql.PreparedStatement st = c.prepareStatement("SELECT pg_database_size(current_database())");
             java.sql.ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public void record(Connection c, Instant at, long sizeBytes) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "INSERT INTO store_size_samples(sampled_at, size_bytes) VALUES (?, ?)")) {
            Sql.bind(st, at, sizeBytes);
            st.executeUpdate();
        }
    }

    /**
     * Deletes samples taken before {@code from}, and any after {@code to}: those were taken while the
     * clock was ahead, and would otherwise hold off new samples until it caught up.
     */
    public void keepOnly(Connection c, Instant from, Instant to) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "DELETE FROM store_size_samples WHERE sampled_at < ? OR sampled_at > ?")) {
            Sql.bind(st, from, to);
            st.executeUpdate();
        }
    }

    public Optional<Sample> oldest(Connection c) throws SQLException {
        return first(c, "ASC");
    }

    public Optional<Sample> newest(Connection c) throws SQLException {
        return first(c, "DESC");
    }

    private static Optional<Sample> first(Connection c, String order) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "SELECT sampled_at, size_bytes FROM store_size_samples ORDER BY sampled_at " + order)) {
            st.setMaxRows(1);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(new Sample(Sql.instant(rs, "sampled_at"), rs.getLong("size_bytes")))
                        : Optional.empty();
            }
        }
    }
}
