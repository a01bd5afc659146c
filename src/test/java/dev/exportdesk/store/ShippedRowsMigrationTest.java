package dev.exportdesk.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.exportdesk.chunk.Hashing;
import dev.exportdesk.testing.PostgresCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A store from before the block index (V11) keeps what its per-row index knew: the first lookback
 * after the upgrade finds every line it had recorded, so it does not ship the window again.
 */
class ShippedRowsMigrationTest {
    @TempDir
    Path dir;

    private static String hex(int n) {
        return HexFormat.of().formatHex(Hashing.sha256().digest(("line " + n).getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void theEntriesOfThePerRowIndexBecomeBlocks(String kind) throws SQLException {
        String url = kind.equals("h2") ? "jdbc:h2:file:" + dir.resolve("state")
                : PostgresCluster.shared().createDatabase("migrate_shipped");
        String user = kind.equals("h2") ? "sa" : "postgres";
        Flyway.configure().dataSource(url, user, "").locations("classpath:db/migration",
                "classpath:dev/exportdesk/store/migration").target("11").load().migrate();
        Instant t0 = Instant.parse("2026-12-04T10:00:00Z");
        int entries = ShippedLines.BLOCK_ROWS + 10; // two blocks for orders
        try (Connection c = DriverManager.getConnection(url, user, "");
             PreparedStatement st = c.prepareStatement("INSERT INTO shipped_rows VALUES (?, ?, ?, ?, 'r1')")) {
            for (int i = 0; i < entries; i++) {
                String contract = i % 2 == 0 ? "orders" : "refunds";
                st.setString(1, contract);
                st.setString(2, "[" + i + "]");
                st.setString(3, hex(i));
                st.setObject(4, t0.plusSeconds(i).atOffset(ZoneOffset.UTC));
                st.addBatch();
            }
            st.executeBatch();
        }

        try (StateStore store = StateStore.open(url, user, "")) {
            store.inTransaction(c -> {
                Set<String> all = new HashSet<>();
                for (int i = 0; i < entries; i++) {
                    all.add(hex(i));
                }
                Set<String> orders = store.lookbackIndex().shippedAmong(c, "orders", all);
                assertThat(orders).hasSize((entries + 1) / 2).allMatch(h -> all.contains(h));
                assertThat(orders).contains(hex(0)).doesNotContain(hex(1));
                assertThat(store.lookbackIndex().size(c, "refunds")).isEqualTo(entries / 2);
                assertThat(store.lookbackIndex().spans(c, "orders", t0)).first()
                        .extracting(LookbackIndex.Span::firstAt).isEqualTo(t0);
                assertThatThrownBy(() -> c.createStatement().executeQuery("SELECT COUNT(*) FROM shipped_rows"))
                        .as("the per-row table is gone").isInstanceOf(SQLException.class);
                return null;
            });
        }
    }
}
