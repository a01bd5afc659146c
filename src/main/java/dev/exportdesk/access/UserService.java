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
    /** Failed sign-ins in a row after which a name is locked out for {@link #LOCKOUT}. */
    public static final int MAX_FAILED_SIGN_INS = 5;
    /**
     * Long enough to make guessing a ten-character password by hand hopeless (5 tries a quarter
     * hour), short enough that a user who mistyped does not need an admin.
     */
    public static final java.time.Duration LOCKOUT = java.time.Duration.ofMinutes(15);
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

    /**
     * The user when the password matches; otherwise an {@link AuthenticationException} (and an audit
     * entry). A password an admin reset only opens the way to {@link #signInWithNewPassword}: it is
     * refused here with a {@link PasswordChangeRequiredException}.
     */
    public User signIn(String name, char[] password) {
        String n = name == null ? "?" : name.trim();
        try {
            UserStore.Stored stored = authenticate(n, password);
            if (stored.mustChangePassword()) {
                audit(n, "user.password-change-required", n);
                throw new PasswordChangeRequiredException();
            }
            signedIn(n);
            return stored.user();
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /**
     * Signs in with the current (usually the temporary, reset) password and replaces it in one step,
     * so a reset user never holds a session on the password an admin chose.
     */
    public User signInWithNewPassword(String name, char[] current, char[] newPassword) {
        String n = name == null ? "?" : name.trim();
        try {
            checkPassword(newPassword);
            UserStore.Stored stored = authenticate(n, current);
            replacePassword(stored.user(), current, newPassword);
            signedIn(n);
            return stored.user();
        } finally {
            Arrays.fill(current, '\0');
            Arrays.fill(newPassword, '\0');
        }
    }

    /**
     * The enabled user whose password matches; a mismatch is audited and refused without saying which
     * part was wrong. A name locked out after {@link #MAX_FAILED_SIGN_INS} failures is refused whatever
     * the password, so the lock is no oracle for it.
     */
    private UserStore.Stored authenticate(String name, char[] password) {
        UserStore.Stored stored = store.inTransaction(c -> users.find(c, name)).orElse(null);
        Instant now = now();
        if (stored != null && stored.lockedUntil() != null && now.isBefore(stored.lockedUntil())) {
            audit(name, "user.sign-in-locked", name);
            throw new AuthenticationException(locked(stored.lockedUntil()));
        }
        if (stored == null || !hasher.matches(password, stored.passwordHash())) {
            audit(name, "user.sign-in-failed", name);
            if (stored != null) {
                failed(stored, now);
            }
            throw new AuthenticationException("wrong user name or password");
        }
        return stored;
    }

    private void failed(UserStore.Stored stored, Instant now) {
        String name = stored.user().name();
        int failed = stored.failedSignIns() + 1;
        if (failed < MAX_FAILED_SIGN_INS) {
            store.updateDurably(c -> users.recordFailure(c, name, failed, null));
            return;
        }
        Instant until = now.plus(LOCKOUT);
        store.updateDurably(c -> {
            users.recordFailure(c, name, 0, until);
            store.audit().append(c, now, name, "user.locked", name, null,
                    failed + " failed sign-ins in a row; locked until " + until);
        });
        throw new AuthenticationException("wrong user name or password. " + locked(until));
    }

    private static String locked(Instant until) {
        return "This account is locked after " + MAX_FAILED_SIGN_INS + " failed sign-ins in a row, until "
                + java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").format(
                until.atOffset(java.time.ZoneOffset.UTC)) + " UTC; an administrator can let it in sooner by "
                + "resetting its password.";
    }

    /** Audits that {@code user} signed out of the console (a session has no other trace of its end). */
    public void signOut(User user) {
        audit(user.name(), "user.sign-out", user.name());
    }

    private void signedIn(String name) {
        Instant now = now();
        store.updateDurably(c -> {
            users.recordSignIn(c, name, now);
            store.audit().append(c, now, name, "user.sign-in", name, null, null);
        });
    }

    /**
     * The session's user as the store holds it now, so a role change applies from the session's
     * next action. A session ends (with a {@link SessionEndedException} saying why) once an admin
     * disabled or removed the account or reset its password.
     */
    public User current(User session) {
        Account a = store.inTransaction(c -> users.account(c, session.id())).orElseThrow(() ->
                new SessionEndedException("removed", "Your account was removed by an administrator, so this "
                        + "session can do nothing more."));
        if (a.disabled()) {
            throw new SessionEndedException("disabled", "Your account was disabled by an administrator, so this "
                    + "session can do nothing more. Ask an admin to enable it, then sign in again.");
        }
        if (a.mustChangePassword()) {
            throw new SessionEndedException("password reset", "An administrator reset your password, so this "
                    + "session has ended. Sign in again with the temporary password and choose a new one.");
        }
        return a.user();
    }

    /**
     * Checks that {@code session} may {@code action} now, by its current role; a refusal (an ended
     * session too) is audited as {@code access.denied} of {@code subject}. Returns the user as stored now.
     */
    public User authorize(User session, Permission permission, String action, String subject) {
        User now;
        try {
            now = current(session);
        } catch (SessionEndedException e) {
            deny(session, subject, "account " + e.reason());
            throw e;
        }
        if (!now.can(permission)) {
            deny(session, subject, now.role().label());
            throw new AccessDeniedException(now, permission, action);
        }
        return now;
    }

    /** Audits a refusal of {@code subject} to {@code session}, with why (the role, or the account's state). */
    void deny(User session, String subject, String why) {
        try {
            store.updateDurably(c -> store.audit().append(c, now(), session.actor(), "access.denied", subject, null,
                    why));
        } catch (RuntimeException ignored) {
            // the refusal stands even when the audit log cannot be written
        }
    }

    private void audit(String actor, String action, String subject) {
        Instant now = now();
        store.updateDurably(c -> store.audit().append(c, now, actor, action, subject, null, null));
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

    /**
     * A user as the user-management screen lists it: enabled or since when disabled, who created it,
     * and whether it still has to replace a password an admin reset.
     */
    public record Account(User user, String createdBy, Instant disabledAt, boolean mustChangePassword,
                          Instant lastSignInAt, Instant lockedUntil) {
        public boolean disabled() {
            return disabledAt != null;
        }

        /** Whether failed sign-ins lock the account out at {@code now}. */
        public boolean lockedAt(Instant now) {
            return lockedUntil != null && now.isBefore(lockedUntil);
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
            User me = current(actor);
            UserStore.Stored stored = store.inTransaction(c -> users.find(c, me.name())).orElseThrow();
            if (!hasher.matches(oldPassword, stored.passwordHash())) {
                audit(me.actor(), "user.password-failed", me.name());
                throw new AuthenticationException("the current password is wrong");
            }
            replacePassword(me, oldPassword, newPassword);
        } finally {
            Arrays.fill(oldPassword, '\0');
            Arrays.fill(newPassword, '\0');
        }
    }

    /** Stores the user's own new password (no longer temporary) once the old one was proven. */
    private void replacePassword(User user, char[] oldPassword, char[] newPassword) {
        if (Arrays.equals(oldPassword, newPassword)) {
            throw new IllegalArgumentException("the new password is the same as the current one");
        }
        String hash = hasher.hash(newPassword);
        store.updateDurably(c -> {
            users.setPasswordHash(c, user.name(), hash, false);
            store.audit().append(c, now(), user.actor(), "user.password", user.name(), null, null);
        });
    }

    /**
     * An admin gives another user a temporary password: the user must replace it at their next
     * sign-in, and any session they have ends at its next action. The audit entry names the admin
     * and the user, never the password. Your own password you change, not reset.
     */
    public void resetPassword(User actor, String name, char[] temporary) {
        try {
            requireAdmin(actor, "reset passwords", "user.password-reset " + name);
            if (actor.name().equals(name)) {
                throw new IllegalArgumentException("you cannot reset your own password; change it under My password");
            }
            checkPassword(temporary);
            String hash = hasher.hash(temporary);
            store.updateDurably(c -> {
                users.account(c, name).orElseThrow(() -> unknown(name));
                users.setPasswordHash(c, name, hash, true);
                users.unlock(c, name);
                store.audit().append(c, now(), actor.actor(), "user.password-reset", name, null, null);
            });
        } finally {
            Arrays.fill(temporary, '\0');
        }
    }

    private void requireAdmin(User actor, String action, String subject) {
        authorize(actor, Permission.MANAGE_USERS, action, subject);
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

    /** The password was right but an admin reset it: the user must choose a new one to sign in. */
    public static final class PasswordChangeRequiredException extends RuntimeException {
        public PasswordChangeRequiredException() {
            super("an administrator reset your password: choose a new one to continue");
        }
    }

    /** Sign-in failed; the message does not say whether the user exists. */
    public static final class AuthenticationException extends RuntimeException {
        public AuthenticationException(String message) {
            super(message);
        }
    }
}
