package dev.exportdesk.access;

import dev.exportdesk.store.StateStore;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Local users: the first start creates an admin, later starts log in. Every sign-in, failed
 * sign-in and user change is written to the audit log with who did it.
 */
public final class UserService {
    public static final int MIN_PASSWORD_LENGTH = 10;
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9._-]{1,63}");
    private final StateStore store;
    private final Clock clock;
    private final PasswordHasher hasher = new PasswordHasher();
    private final UserStore users = new UserStore();

    public UserService(StateStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** True until the first admin exists: the console then asks for one before anything else. */
    public boolean needsFirstAdmin() {
        return store.inTransaction(users::count) == 0;
    }

    /** Creates the first admin; refused once any user exists. */
    public User createFirstAdmin(String name, char[] password) {
        checkName(name);
        checkPassword(password);
        String hash = hasher.hash(password);
        Arrays.fill(password, '\0');
        Instant now = now();
        return store.inDurableTransaction(c -> {
            if (users.count(c) > 0) {
                throw new IllegalStateException("an administrator already exists; sign in instead");
            }
            users.insert(c, name, Role.ADMIN, hash, now, name);
            store.audit().append(c, now, name, "user.create", name, null, "{\"role\":\"admin\",\"first\":true}");
            return users.find(c, name).orElseThrow().user();
        });
    }

    /** The user when the password matches; otherwise an {@link AuthenticationException} (and an audit entry). */
    public User signIn(String name, char[] password) {
        UserStore.Stored stored = store.inTransaction(c -> users.find(c, name == null ? "" : name.trim()))
                .orElse(null);
        boolean ok = stored != null && hasher.matches(password, stored.passwordHash());
        Arrays.fill(password, '\0');
        Instant now = now();
        store.updateDurably(c -> store.audit().append(c, now, name == null ? "?" : name.trim(),
                ok ? "user.sign-in" : "user.sign-in-failed", name == null ? "?" : name.trim(), null, null));
        if (!ok) {
            throw new AuthenticationException("wrong user name or password");
        }
        return stored.user();
    }

    /** Adds a user; only an admin may. */
    public User createUser(User actor, String name, Role role, char[] password) {
        requireAdmin(actor, "create users", "user.create " + name);
        checkName(name);
        checkPassword(password);
        String hash = hasher.hash(password);
        Arrays.fill(password, '\0');
        Instant now = now();
        return store.inDurableTransaction(c -> {
            Optional<Account> existing = users.account(c, name);
            if (existing.isPresent()) {
                throw new IllegalArgumentException("a user named \"" + name + "\" already exists"
                        + (existing.get().disabled() ? " (disabled; enable it, or remove it first)" : ""));
            }
            users.insert(c, name, role, hash, now, actor.actor());
            store.audit().append(c, now, actor.actor(), "user.create", name, null,
                    "{\"role\":\"" + role.label() + "\"}");
            return users.find(c, name).orElseThrow().user();
        });
    }

    /** A user as the user-management screen lists it: enabled or since when disabled, and who created it. */
    public record Account(User user, String createdBy, Instant disabledAt) {
        public boolean disabled() {
            return disabledAt != null;
        }
    }

    /** Every user, disabled ones too (admins only). */
    public List<Account> accounts(User actor) {
        requireAdmin(actor, "list users", "users");
        return store.inTransaction(users::accounts);
    }

    /** Gives {@code name} another role (admins only); the last enabled admin keeps theirs. */
    public void changeRole(User actor, String name, Role role) {
        requireAdmin(actor, "change roles", "user.role " + name);
        store.updateDurably(c -> {
            Account a = users.account(c, name).orElseThrow(() -> unknown(name));
            if (a.user().role() == role) {
                return;
            }
            if (a.user().role() == Role.ADMIN && !a.disabled()) {
                keepAnAdmin(c, "take the admin role from " + name);
            }
            users.setRole(c, name, role);
            store.audit().append(c, now(), actor.actor(), "user.role", name, a.user().role().label(), role.label());
        });
    }

    /** Disables (or enables again) a user: a disabled user cannot sign in. Admins only; never yourself. */
    public void setDisabled(User actor, String name, boolean disabled) {
        requireAdmin(actor, disabled ? "disable users" : "enable users", "user." + (disabled ? "disable " : "enable ")
                + name);
        if (disabled && actor.name().equals(name)) {
            throw new IllegalArgumentException("you cannot disable yourself; another admin can");
        }
        store.updateDurably(c -> {
            Account a = users.account(c, name).orElseThrow(() -> unknown(name));
            if (a.disabled() == disabled) {
                return;
            }
            if (disabled && a.user().role() == Role.ADMIN) {
                keepAnAdmin(c, "disable " + name);
            }
            Instant now = now();
            users.setDisabledAt(c, name, disabled ? now : null);
            store.audit().append(c, now, actor.actor(), disabled ? "user.disable" : "user.enable", name, null, null);
        });
    }

    /**
     * Removes a user for good (admins only; never yourself, never the last admin). The audit log
     * keeps the name in every entry the user made.
     */
    public void remove(User actor, String name) {
        requireAdmin(actor, "remove users", "user.remove " + name);
        if (actor.name().equals(name)) {
            throw new IllegalArgumentException("you cannot remove yourself; another admin can");
        }
        store.updateDurably(c -> {
            Account a = users.account(c, name).orElseThrow(() -> unknown(name));
            if (a.user().role() == Role.ADMIN && !a.disabled()) {
                keepAnAdmin(c, "remove " + name);
            }
            users.delete(c, name);
            store.audit().append(c, now(), actor.actor(), "user.remove", name, a.user().role().label(), null);
        });
    }

    /**
     * Any user changes their own password, proving the old one first. The audit entry says that it
     * changed, never what to; a wrong old password is audited as a failure and changes nothing.
     */
    public void changeOwnPassword(User actor, char[] oldPassword, char[] newPassword) {
        try {
            checkPassword(newPassword);
            UserStore.Stored stored = store.inTransaction(c -> users.find(c, actor.name()))
                    .orElseThrow(() -> new IllegalStateException("your account no longer exists or was disabled"));
            if (!hasher.matches(oldPassword, stored.passwordHash())) {
                store.updateDurably(c -> store.audit().append(c, now(), actor.actor(), "user.password-failed",
                        actor.name(), null, null));
                throw new AuthenticationException("the current password is wrong");
            }
            if (Arrays.equals(oldPassword, newPassword)) {
                throw new IllegalArgumentException("the new password is the same as the current one");
            }
            String hash = hasher.hash(newPassword);
            store.updateDurably(c -> {
                users.setPasswordHash(c, actor.name(), hash);
                store.audit().append(c, now(), actor.actor(), "user.password", actor.name(), null, null);
            });
        } finally {
            Arrays.fill(oldPassword, '\0');
            Arrays.fill(newPassword, '\0');
        }
    }

    private void requireAdmin(User actor, String action, String subject) {
        if (!actor.can(Permission.MANAGE_USERS)) {
            Instant now = now();
            store.updateDurably(c -> store.audit().append(c, now, actor.actor(), "access.denied", subject, null,
                    actor.role().label()));
            throw new AccessDeniedException(actor, Permission.MANAGE_USERS, action);
        }
    }

    /** Refuses a change that would leave no enabled admin (nobody could manage users any more). */
    private void keepAnAdmin(java.sql.Connection c, String what) throws java.sql.SQLException {
        if (users.enabledAdmins(c) <= 1) {
            throw new IllegalArgumentException("cannot " + what + ": it is the last enabled admin");
        }
    }

    private static IllegalArgumentException unknown(String name) {
        return new IllegalArgumentException("there is no user named \"" + name + "\"");
    }

    public List<User> list() {
        return store.inTransaction(users::list);
    }

    public static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("user names are 2-64 lowercase letters, digits, '.', '_' or '-', "
                    + "starting with a letter");
        }
    }

    public static void checkPassword(char[] password) {
        if (password == null || password.length < MIN_PASSWORD_LENGTH) {
            throw new IllegalArgumentException("passwords need at least " + MIN_PASSWORD_LENGTH + " characters");
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** Sign-in failed; the message does not say whether the user exists. */
    public static final class AuthenticationException extends RuntimeException {
        public AuthenticationException(String message) {
            super(message);
        }
    }
}
