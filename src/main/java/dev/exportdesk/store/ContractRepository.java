package dev.exportdesk.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Partners, contracts and their versions (sources: {@link SourceRepository}). Versions are only ever added. */
public final class ContractRepository {

    public void upsertPartner(Connection c, String partner, Instant now) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT 1 FROM partners WHERE name = ?")) {
            Sql.bind(st, partner);
            try (ResultSet rs = st.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
        }
        try (PreparedStatement st = c.prepareStatement("INSERT INTO partners(name, created_at) VALUES (?, ?)")) {
            Sql.bind(st, partner, now);
            st.executeUpdate();
        }
    }

    public Optional<ContractRecord> find(Connection c, String name) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT * FROM contracts WHERE name = ?")) {
            Sql.bind(st, name);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(contract(rs)) : Optional.empty();
            }
        }
    }

    public List<ContractRecord> list(Connection c) throws SQLException {
        List<ContractRecord> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT * FROM contracts ORDER BY name");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.add(contract(rs));
            }
        }
        return out;
    }

    public Optional<ContractVersion> version(Connection c, String name, int version) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "SELECT * FROM contract_versions WHERE contract_name = ? AND version = ?")) {
            Sql.bind(st, name, version);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(version(rs)) : Optional.empty();
            }
        }
    }

    public List<ContractVersion> versions(Connection c, String name) throws SQLException {
        List<ContractVersion> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(
                "SELECT * FROM contract_versions WHERE contract_name = ? ORDER BY version")) {
            Sql.bind(st, name);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(version(rs));
                }
            }
        }
        return out;
    }

    /** Adds a version without knowing its exported columns (accepted offline); see the overload below. */
    public ContractVersion addVersion(Connection c, String name, String partner, String sourceName, String body,
                                      String bodySha256, String schemaFingerprint, String actor, Instant now)
            throws SQLException {
        return addVersion(c, name, partner, sourceName, body, bodySha256, schemaFingerprint, null, actor, now);
    }

    /**
     * Adds a version and makes it current; creates the contract on its first version. {@code schemaColumns}:
     * the exported columns {@code schemaFingerprint} was taken of ({@code source.SchemaColumns}), or null.
     */
    public ContractVersion addVersion(Connection c, String name, String partner, String sourceName, String body,
                                      String bodySha256, String schemaFingerprint, String schemaColumns, String actor,
                                      Instant now) throws SQLException {
        return addVersion(c, name, partner, sourceName, body, bodySha256, schemaFingerprint, schemaColumns, null,
                actor, now);
    }

    /**
     * Adds the version the engine takes for nullable columns the source's table gained: the body of
     * {@code from} unchanged, {@code schemaFingerprint} of the grown table, and the notice saying why.
     */
    public ContractVersion addSchemaVersion(Connection c, ContractVersion from, String partner, String sourceName,
                                            String schemaFingerprint, String schemaColumns, String notice, String actor,
                                            Instant now) throws SQLException {
        return addVersion(c, from.contractName(), partner, sourceName, from.body(), from.bodySha256(),
                schemaFingerprint, schemaColumns, notice, actor, now);
    }

    private ContractVersion addVersion(Connection c, String name, String partner, String sourceName, String body,
                                       String bodySha256, String schemaFingerprint, String schemaColumns,
                                       String schemaChange, String actor, Instant now) throws SQLException {
        Optional<ContractRecord> existing = find(c, name);
        int version = existing.map(r -> r.currentVersion() + 1).orElse(1);
        if (existing.isEmpty()) {
            try (PreparedStatement st = c.prepareStatement("INSERT INTO contracts(name, partner, source_name, "
                    + "current_version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                Sql.bind(st, name, partner, sourceName, version, now, now);
                st.executeUpdate();
            }
        } else {
            try (PreparedStatement st = c.prepareStatement("UPDATE contracts SET partner = ?, source_name = ?, "
                    + "current_version = ?, updated_at = ? WHERE name = ?")) {
                Sql.bind(st, partner, sourceName, version, now, name);
                st.executeUpdate();
            }
        }
        try (PreparedStatement st = c.prepareStatement("INSERT INTO contract_versions(contract_name, version, body, "
                + "body_sha256, schema_fingerprint, created_at, created_by, schema_change, schema_columns) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            Sql.bind(st, name, version, body, bodySha256, schemaFingerprint, now, actor, schemaChange, schemaColumns);
            st.executeUpdate();
        }
        return new ContractVersion(name, version, body, bodySha256, schemaFingerprint, now, actor, schemaChange,
                schemaColumns);
    }

    /** Records the schema fingerprint a version was first run against (when imported offline). */
    public void pinSchemaFingerprint(Connection c, String name, int version, String fingerprint,
                                     String schemaColumns) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE contract_versions SET schema_fingerprint = ?, "
                + "schema_columns = ? WHERE contract_name = ? AND version = ? AND schema_fingerprint IS NULL")) {
            Sql.bind(st, fingerprint, schemaColumns, name, version);
            st.executeUpdate();
        }
    }

    private static ContractRecord contract(ResultSet rs) throws SQLException {
        return new ContractRecord(rs.getString("name"), rs.getString("partner"), rs.getString("source_name"),
                rs.getInt("current_version"), Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"));
    }

    private static ContractVersion version(ResultSet rs) throws SQLException {
        return new ContractVersion(rs.getString("contract_name"), rs.getInt("version"), rs.getString("body"),
                rs.getString("body_sha256"), rs.getString("schema_fingerprint"), Sql.instant(rs, "created_at"),
                rs.getString("created_by"), rs.getString("schema_change"), rs.getString("schema_columns"));
    }
}
