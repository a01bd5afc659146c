package dev.exportdesk.access;

import dev.exportdesk.engine.EngineContext;
import java.util.List;

/**
 * User accounts, for one signed-in user. {@link UserService} checks the admin permission itself (and
 * audits refusals), so users are managed by the same rules from the console, the CLI or a test; this
 * adds the session's end.
 */
public final class UsersGuard {
    private final Session checks;
    private final UserService users;

    UsersGuard(Session checks, UserService users) {
        this.checks = checks;
        this.users = users;
    }

    public List<UserService.Account> accounts() {
        return checks.live("list users", () -> users.accounts(checks.signedIn()));
    }

    public User createUser(String name, Role role, char[] password) {
        return checks.live("create users", () -> users.createUser(checks.signedIn(), name, role, password));
    }

    public void changeRole(String name, Role role) {
        checks.live("change roles", () -> {
            users.changeRole(checks.signedIn(), name, role);
            return null;
        });
    }

    public void setUserDisabled(String name, boolean disabled) {
        checks.live(disabled ? "disable users" : "enable users", () -> {
            users.setDisabled(checks.signedIn(), name, disabled);
            return null;
        });
    }

    public void removeUser(String name) {
        checks.live("remove users", () -> {
            users.remove(checks.signedIn(), name);
            return null;
        });
    }

    /** A temporary password for another user, who must replace it at their next sign-in (admins only). */
    public void resetPassword(String name, char[] temporary) {
        checks.live("reset passwords", () -> {
            users.resetPassword(checks.signedIn(), name, temporary);
            return null;
        });
    }

    /** The signed-in user's own password; needs the current one. */
    public void changeOwnPassword(char[] oldPassword, char[] newPassword) {
        checks.live("change their password", () -> {
            users.changeOwnPassword(checks.signedIn(), oldPassword, newPassword);
            return null;
        });
    }
}
