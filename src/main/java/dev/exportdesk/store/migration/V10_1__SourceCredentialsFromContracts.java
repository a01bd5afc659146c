package dev.exportdesk.store.migration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Turns each source that contracts defined inline into a named connection: before V10 a source row
 * held only its URL, and the user and credential references lived in every contract body. The body
 * of the newest contract version naming the source supplies them, as the engine used it last.
 * Stored bodies stay as they were (they are history); the engine now reads the connection.
 */
public class V10_1__SourceCredentialsFromContracts extends BaseJavaMigration {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        try (PreparedStatement names = c.prepareStatement("SELECT name FROM sources");
             ResultSet rs = names.executeQuery()) {
            while (rs.next()) {
                fill(c, rs.getString(1));
            }
        }
    }

    private static void fill(Connection c, String source) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT v.body FROM contract_versions v JOIN contracts k "
                + "ON k.name = v.contract_name AND v.version = k.current_version WHERE k.source_name = ? "
                + "ORDER BY v.created_at DESC")) {
            st.setString(1, source);
            st.setMaxRows(1);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return;
                }
                JsonNode inline = readSource(rs.getString(1));
                if (inline == null) {
                    return;
                }
                try (PreparedStatement up = c.prepareStatement(
                        "UPDATE sources SET user_name = ?, user_env = ?, password_env = ?, updated_by = ? WHERE name = ?")) {
                    up.setString(1, text(inline, "user"));
                    up.setString(2, text(inline, "user_env"));
                    up.setString(3, text(inline, "password_env"));
                    up.setString(4, "migration V10");
                    up.setString(5, source);
                    up.executeUpdate();
                }
            }
        }
    }

    private static JsonNode readSource(String body) {
        try {
            JsonNode source = MAPPER.readTree(body).get("source");
            return source != null && source.isObject() ? source : null;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
