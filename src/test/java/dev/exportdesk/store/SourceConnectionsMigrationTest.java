package dev.exportdesk.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.engine.runs.RunResult;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.PostgresCluster;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A workspace from before named source connections (schema V9, sources defined inline in contract
 * bodies, the store on H2's empty default password) opens, keeps working and is hardened: its
 * connection gets the user and credential reference its contract carried, the store moves to a
 * random password, and the workspace gets its identity marker.
 */
class SourceConnectionsMigrationTest {
    @TempDir
    Path dir;

    /** Before V10 a source row held only the URL its last importing contract gave. */
    private static void seedV9(String url, String user, String sourceUrl, String body) throws SQLException {
        Flyway.configure().dataSource(url, user, "").locations("classpath:db/migration").target("9").load().migrate();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        try (Connection c = DriverManager.getConnection(url, user, "")) {
            exec(c, "INSERT INTO partners VALUES ('acme', ?)", now);
            exec(c, "INSERT INTO sources VALUES ('src-h2', ?, ?)", sourceUrl, now);
            exec(c, "INSERT INTO contracts VALUES ('orders', 'acme', 'src-h2', 1, ?, ?)", now, now);
            exec(c, "INSERT INTO contract_versions VALUES ('orders', 1, ?, ?, NULL, ?, 'old')", body, "0".repeat(64),
                    now);
        }
    }

    private static void exec(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setObject(i + 1, params[i]);
            }
            st.executeUpdate();
        }
    }

    @Test
    void anOldH2WorkspaceOpensRunsAndIsHardened() throws Exception {
        SourceDb db = SourceDb.h2(dir.resolve("src"));
        db.exec("CREATE TABLE orders (id BIGINT PRIMARY KEY, updated_at TIMESTAMP WITH TIME ZONE NOT NULL)",
                "INSERT INTO orders SELECT X, TIMESTAMP WITH TIME ZONE '2024-01-01 00:00:00+00' FROM SYSTEM_RANGE(1, 10)");
        ObjectNode contract = Contracts.base("orders", db, "orders", dir.resolve("drop"));
        ((ObjectNode) contract.get("source")).put("password_env", "SHOP_PW");
        Path ws = dir.resolve("ws");
        Files.createDirectories(ws.resolve("state"));
        String storeUrl = "jdbc:h2:file:" + ws.resolve("state/exportdesk");
        seedV9(storeUrl, "sa", db.jdbcUrl(), contract.toString());

        try (TestEngine t = TestEngine.open(ws, java.util.Map.of("SHOP_PW", ""))) {
            SourceRecord migrated = t.workspace.store().inTransaction(c -> t.workspace.store().sources().find(c,
                    "src-h2")).orElseThrow();
            assertThat(migrated.user()).isEqualTo(SourceDb.H2_READER);
            assertThat(migrated.passwordEnv()).isEqualTo("SHOP_PW");
            // a contract author chose that variable before connections were administered: it waits for an allowance
            RunResult refused = t.run("orders");
            assertThat(refused.run().state()).isNotEqualTo(RunState.COMPLETED);
            assertThat(refused.run().error()).contains("SHOP_PW").contains("source:src-h2").contains("allow-env");
            new dev.exportdesk.secret.EnvAllowList(t.workspace.store(), java.time.Clock.systemUTC())
                    .allow("SHOP_PW", "source:src-h2", "admin");
            RunResult r = t.run("orders");
            assertThat(r.run().state()).as(r.run().error()).isEqualTo(RunState.COMPLETED);
            assertThat(r.run().rowCount()).isEqualTo(10);
        }
        assertThat(ws.resolve("state/store.password")).exists();
        assertThat(ws.resolve("state/workspace.id")).exists();
        assertThatThrownBy(() -> DriverManager.getConnection(storeUrl + ";IFEXISTS=TRUE", "sa", "").close())
                .isInstanceOf(SQLException.class);
        // and it opens again with its own password
        try (TestEngine t = TestEngine.open(ws)) {
            assertThat(t.contracts.list()).hasSize(1);
        }
    }

    @Test
    void theSourceMigrationRunsOnPostgres() throws Exception {
        String url = PostgresCluster.shared().createDatabase("state");
        SourceDb db = SourceDb.h2(dir.resolve("src"));
        seedV9(url, "postgres", "jdbc:h2:file:/elsewhere", Contracts.base("orders", db, "orders", dir.resolve("drop")).toString());
        try (StateStore store = StateStore.open(url, "postgres", "")) {
            SourceRecord migrated = store.inTransaction(c -> store.sources().find(c, "src-h2")).orElseThrow();
            assertThat(migrated.user()).isEqualTo(SourceDb.H2_READER);
            assertThat(migrated.jdbcUrl()).isEqualTo("jdbc:h2:file:/elsewhere");
        }
    }
}
