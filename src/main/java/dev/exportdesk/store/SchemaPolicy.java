package dev.exportdesk.store;

/** What opening a store does about pending migrations. A store newer than this build is refused either way. */
public enum SchemaPolicy {
    /** Apply pending migrations (a solo workspace's own store; {@code store migrate}). */
    MIGRATE,
    /**
     * Refuse a store with pending migrations: in a shared store one machine's upgrade must not
     * surprise the others, so migrating is an administrator's explicit {@code store migrate}.
     */
    REQUIRE_CURRENT,
    /**
     * Migrate a database that has no ExportDesk schema yet ({@code store init}), but treat an
     * existing store as {@link #REQUIRE_CURRENT}: joining a team never upgrades it as a side effect.
     */
    CREATE
}
