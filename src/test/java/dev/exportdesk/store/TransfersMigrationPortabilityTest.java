package dev.exportdesk.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.testing.PostgresCluster;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * V1 and V2__transfers.sql run unchanged on H2 and PostgreSQL 15, and the new tables take rows.
 * Applied statement by statement over JDBC: the state store's Flyway has no PostgreSQL module on
 * the classpath (see the report of issue 4), so this checks the SQL itself.
 */
class TransfersMigrationPortabilityTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void migrationRunsAndTablesTakeRows(String kind) throws Exception {
        String url = kind.equals("h2") ? "jdbc:h2:file:" + dir.resolve("state") + ";WRITE_DELAY=0"
                : PostgresCluster.shared().createDatabase("state");
        try (Connection c = DriverManager.getConnection(url, kind.equals("h2") ? "sa" : "postgres", "")) {
            for (String file : new String[] {"V1__state_store.sql", "V2__transfers.sql"}) {
                apply(c, file);
            }
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            try (Statement st = c.createStatement()) {
                st.execute("INSERT INTO partners VALUES ('acme', CURRENT_TIMESTAMP)");
                st.execute("INSERT INTO sources VALUES ('shop', 'jdbc:x', CURRENT_TIMESTAMP)");
                st.execute("INSERT INTO contracts VALUES ('c', 'acme', 'shop', 1, CURRENT_TIMESTAMP, "
                        + "CURRENT_TIMESTAMP)");
                st.execute("INSERT INTO runs(id, contract_name, contract_version, sequence, mode, state, planned_at) "
                        + "VALUES ('r1', 'c', 1, 1, 'INCREMENTAL', 'COMPLETED', CURRENT_TIMESTAMP)");
            }
            try (PreparedStatement st = c.prepareStatement("INSERT INTO transfer_attempts(run_id, chunk_seq, "
                    + "file_name, attempt, started_at, duration_ms, resumed_from, bytes_sent, outcome, error) "
                    + "VALUES ('r1', 1, 'chunk-000001.jsonl', 1, ?, 12, 0, 1024, 'OK', NULL)")) {
                st.setObject(1, now);
                st.executeUpdate();
            }
            try (PreparedStatement st = c.prepareStatement("INSERT INTO secrets VALUES ('acme', 'keyfile', 'n', "
                    + "'c', ?)")) {
                st.setObject(1, now);
                st.executeUpdate();
            }
            try (PreparedStatement st = c.prepareStatement("INSERT INTO run_acks VALUES ('r1', 'WAITING', ?, NULL, "
                    + "'x')")) {
                st.setObject(1, now);
                st.executeUpdate();
            }
            try (Statement st = c.createStatement()) {
                st.execute("INSERT INTO multipart_uploads VALUES ('d', 'k', 'u', 5242880, 10, '" + "a".repeat(64)
                        + "', CURRENT_TIMESTAMP)");
                st.execute("INSERT INTO multipart_parts VALUES ('d', 'k', 1, 'etag', 'sha', 5242880)");
                st.execute("INSERT INTO chunk_acks VALUES ('r1', 1, 'ACKNOWLEDGED', NULL, CURRENT_TIMESTAMP)");
                try (ResultSet rs = st.executeQuery("SELECT id, bytes_sent FROM transfer_attempts")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getLong(1)).isPositive();
                    assertThat(rs.getLong(2)).isEqualTo(1024);
                }
            }
        }
    }

    private static void apply(Connection c, String file) throws Exception {
        String sql;
        try (InputStream in = TransfersMigrationPortabilityTest.class.getResourceAsStream("/db/migration/" + file)) {
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        StringBuilder code = new StringBuilder();
        for (String line : sql.split("\n")) {
            if (!line.trim().startsWith("--")) {
                code.append(line).append('\n');
            }
        }
        try (Statement st = c.createStatement()) {
            for (String stmt : code.toString().split(";")) {
                if (!stmt.isBlank()) {
                    st.execute(stmt);
                }
            }
        }
    }
}
