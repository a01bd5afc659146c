package dev.exportdesk.access;

/** What a user may do. Roles grant sets of these; services check them before acting. */
public enum Permission {
    /** See contracts, runs, chunks, dashboards and the audit log. */
    READ,
    /** Create and change partners, contracts and credentials references. */
    EDIT_CONTRACTS,
    /** Start, resume and cancel runs. */
    OPERATE_RUNS,
    /**
     * Pause and enable a contract's schedule: operators stop what runs by itself, and stewards, who
     * own the contract and know when a partner cannot take data, may too. Running stays OPERATE_RUNS.
     */
    CONTROL_SCHEDULE,
    /** Re-verify deliveries and export reports. */
    VERIFY,
    /** Create users and assign roles. */
    MANAGE_USERS,
    /**
     * Define the source connections contracts name (URL, user, credential reference): where the
     * engine connects and as whom is the host's business, never a contract author's.
     */
    MANAGE_SOURCES,
    /**
     * Define the named destinations contracts send to (host, bucket, credentials in the vault): where
     * a credential may be sent is the administrator's, as with source connections.
     */
    MANAGE_DESTINATIONS
}
