package dev.exportdesk.contract;

/**
 * The source a contract reads, by the name of a connection an administrator defined. A contract
 * written before connections were administered carries the connection's definition inline
 * ({@code jdbcUrl} and the rest non-null): that is only used when the contract is imported, to check
 * it against the named connection, or for an administrator to create it. Credentials are never
 * part of a contract: the password is only ever named as an environment variable.
 */
public record SourceRef(String name, String jdbcUrl, String user, String userEnv, String passwordEnv) {

    public static SourceRef named(String name) {
        return new SourceRef(name, null, null, null, null);
    }

    /** Whether the contract spells out the connection (the form before named connections). */
    public boolean inline() {
        return jdbcUrl != null;
    }
}
