package dev.exportdesk.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreSchemaTest {
    @TempDir
    Path dir;

    @Test
    void theListOfMigrationsIsWhatFlywayFinds() {
        JdbcDataSource ds = dataSource();
        List<String> resolved = Arrays.stream(Flyway.configure().dataSource(ds)
                        .locations("classpath:db/migration", "classpath:dev/exportdesk/store/migration").load()
                        .info().all())
                .map(MigrationInfo::getVersion).map(v -> v.getVersion()).toList();
        assertThat(StoreSchema.MIGRATIONS).as("StoreSchema.MIGRATIONS must list every migration, in order")
                .containsExactlyElementsOf(resolved);
    }

    @Test
    void onlyAStoreWithEveryMigrationAppliedSkipsFlyway() throws Exception {
        JdbcDataSource ds = dataSource();
        StoreSchema schema = StoreSchema.of(ds, ds.getURL());
        assertThat(schema.upToDate()).as("an empty database").isFalse();

        schema.bringUpToDate(SchemaPolicy.MIGRATE);
        assertThat(schema.upToDate()).isTrue();

        String last = StoreSchema.MIGRATIONS.get(StoreSchema.MIGRATIONS.size() - 1);
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE \"flyway_schema_history\" SET \"success\" = FALSE WHERE \"version\" = '" + last + "'");
        }
        assertThat(schema.upToDate()).as("a failed migration").isFalse();

        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE \"flyway_schema_history\" SET \"success\" = TRUE, \"version\" = '99' "
                    + "WHERE \"version\" = '" + last + "'");
        }
        assertThat(schema.upToDate()).as("a version this build does not know").isFalse();
    }

    private JdbcDataSource dataSource() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + dir.resolve("store").toAbsolutePath());
        ds.setUser("sa");
        ds.setPassword("");
        return ds;
    }
}
