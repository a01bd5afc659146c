package dev.exportdesk.source;

/**
 * A source database as an administrator connected it: contracts name it, and only this record says
 * how to reach it. The user is given plainly or by environment variable, the password only by
 * environment variable, so no credential is ever stored.
 */
public record SourceConnection(String name, String jdbcUrl, String user, String userEnv, String passwordEnv) {

    /** Whether {@code other} says the same about how to connect (the name aside). */
    public boolean sameDefinition(SourceConnection other) {
        return java.util.Objects.equals(jdbcUrl, other.jdbcUrl) && java.util.Objects.equals(user, other.user)
                && java.util.Objects.equals(userEnv, other.userEnv)
                && java.util.Objects.equals(passwordEnv, other.passwordEnv);
    }
}
