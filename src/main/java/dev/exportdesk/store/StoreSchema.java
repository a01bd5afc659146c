package dev.exportdesk.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;

/**
 * The state store's schema version against this build's migrations ({@code db/migration}). Reading it
 * writes nothing, so a store can be refused untouched.
 */
public final class StoreSchema {
    /**
     * This build's migrations, so that opening an up-to-date store needs one query instead of
     * Flyway's start-up and classpath scan (over a second of every CLI command's start on a busy
     * machine). {@code StoreSchemaTest} keeps the list equal to what Flyway resolves.
     */
    static final List<String> MIGRATIONS = List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "10.1", "11",
            "12", "12.1", "13", "15", "16", "17", "18", "19", "20", "21", "23", "25", "26", "27", "29", "30", "31");

    private final DataSource dataSource;
    private final String url;
    private Flyway flyway;

    private StoreSchema(DataSource dataSource, String url) {
        this.dataSource = dataSource;
        this.url = url;
    }

    static StoreSchema of(DataSource dataSource, String url) {
        return new StoreSchema(dataSource, url);
    }

    private Flyway flyway() {
        if (flyway == null) {
            flyway = Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration", "classpath:dev/exportdesk/store/migration")
                    .load();
        }
        return flyway;
    }

    /**
     * Whether the store has applied exactly this build's migrations, all successfully. Any doubt
     * (no history table yet, a failed or unknown version) answers false, and Flyway decides.
     */
    boolean upToDate() {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement st = c.prepareStatement(
                    "SELECT \"version\", \"success\" FROM \"flyway_schema_history\" WHERE \"version\" IS NOT NULL");
                 ResultSet rs = st.executeQuery()) {
                Set<String> applied = new HashSet<>();
                while (rs.next()) {
                    if (!rs.getBoolean(2) || !applied.add(rs.getString(1))) {
                        return false;
                    }
                }
                return applied.equals(Set.copyOf(MIGRATIONS));
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            return false;
        }
    }

    /** The store's version (null when it has no schema yet), this build's, and the migrations not applied yet. */
    public record Status(String current, String latest, List<String> pending) {
    }

    public Status status() {
        MigrationInfoService info = info();
        MigrationInfo current = info.current();
        String latest = Arrays.stream(info.all()).filter(m -> m.getState().isResolved())
                .map(MigrationInfo::getVersion).max(MigrationVersion::compareTo).map(MigrationVersion::getVersion)
                .orElse(null);
        return new Status(current == null ? null : current.getVersion().getVersion(), latest,
                Arrays.stream(info.pending()).map(m -> m.getVersion().getVersion() + " " + m.getDescription()).toList());
    }

    void bringUpToDate(SchemaPolicy policy) {
        if (upToDate()) {
            return;
        }
        MigrationInfoService info = info();
        refuseNewer(info);
        if (policy == SchemaPolicy.INSPECT) {
            return;
        }
        boolean mayMigrate = policy == SchemaPolicy.MIGRATE
                || policy == SchemaPolicy.CREATE && info.current() == null;
        if (!mayMigrate && info.pending().length > 0) {
            MigrationInfo current = info.current();
            throw new StoreVersionException("the team store " + url + (current == null ? " has no ExportDesk schema yet"
                    : " is at schema version " + current.getVersion().getVersion()) + ", this build needs "
                    + status().latest() + ": an administrator runs `exportdesk store migrate` (after stopping or "
                    + "upgrading the other machines). Nothing was written.");
        }
        if (info.pending().length > 0) {
            try {
                flyway().migrate();
            } catch (RuntimeException e) {
                throw new StoreException("cannot migrate state store " + url + ": " + e.getMessage(), e);
            }
        }
    }

    /** Applies pending migrations (an administrator's {@code store migrate}); a newer store is still refused. */
    public void migrate() {
        bringUpToDate(SchemaPolicy.MIGRATE);
    }

    private void refuseNewer(MigrationInfoService info) {
        for (MigrationInfo m : info.applied()) {
            if (m.getState() == MigrationState.FUTURE_SUCCESS || m.getState() == MigrationState.FUTURE_FAILED) {
                throw new StoreVersionException("the state store " + url + " has schema version "
                        + info.current().getVersion().getVersion() + ", newer than this ExportDesk build knows ("
                        + status().latest() + "): upgrade ExportDesk on this machine. Nothing was written.");
            }
            if (m.getState().isFailed()) {
                throw new StoreVersionException("the state store " + url + " has a failed migration ("
                        + m.getVersion().getVersion() + " " + m.getDescription() + "): restore it from a backup. "
                        + "Nothing was written.");
            }
        }
    }

    private MigrationInfoService info() {
        try {
            return flyway().info();
        } catch (RuntimeException e) {
            throw new StoreException("cannot read the schema version of " + url + ": " + e.getMessage(), e);
        }
    }
}
