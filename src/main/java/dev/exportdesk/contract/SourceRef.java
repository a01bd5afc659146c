package dev.exportdesk.contract;

/**
 * How to reach the source database. Credentials are never part of a contract: the user name may be
 * given plainly or by environment variable, the password only by environment variable.
 */
public record SourceRef(String name, String jdbcUrl, String user, String userEnv, String passwordEnv) {
}
