package dev.exportdesk.testing;

import dev.exportdesk.store.StateStore;
import java.nio.file.Path;

/** A fresh state store for a portability test: an H2 file under {@code dir}, or a new PostgreSQL database. */
public final class StateStores {
    private StateStores() {
    }

    /** {@code kind}: "h2" or "postgresql"; {@code database}: the PostgreSQL database's name. */
    public static StateStore open(String kind, Path dir, String database) {
        return kind.equals("h2")
                ? StateStore.open("jdbc:h2:file:" + dir.resolve("state") + ";WRITE_DELAY=0", "sa", "")
                : StateStore.open(PostgresCluster.shared().createDatabase(database), "postgres", "");
    }
}
