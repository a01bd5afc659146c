package dev.exportdesk.store;

import java.util.Arrays;
import java.util.List;
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
    private final Flyway flyway;
    private final String url;

    private StoreSchema(Flyway flyway, String url) {
        this.flyway = flyway;
        this.url = url;
    }

    static StoreSchema of(DataSource dataSource, String url) {
        return new StoreSchema(Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration", "classpath:dev/exportdesk/store/migration")
                .load(), url);
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
        MigrationInfoService info = info();
        refuseNewer(info);
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
                flyway.migrate();
            } catch (RuntimeException e) {
                throw new StoreException("cannot migrate state store " + url + ": " + e.getMessage(), e);
            }
        }
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
            return flyway.info();
        } catch (RuntimeException e) {
            throw new StoreException("cannot read the schema version of " + url + ": " + e.getMessage(), e);
        }
    }
}
