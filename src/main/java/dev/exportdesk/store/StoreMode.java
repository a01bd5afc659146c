package dev.exportdesk.store;

/** Where a workspace keeps its state: its own embedded H2 file, or a PostgreSQL store shared by a team. */
public enum StoreMode {
    /** Embedded H2 in {@code <workspace>/state}, held by one process at a time (the workspace lock). */
    SOLO,
    /** A PostgreSQL database shared by consoles and workers on many machines; no workspace lock. */
    TEAM
}
