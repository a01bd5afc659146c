package dev.exportdesk.access;

import dev.exportdesk.store.StateStore;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
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
        if (!actor.can(Permission.MANAGE_USERS)) {
            Instant now = now();
            store.updateDurably(c -> store.audit().append(c, now, actor.actor(), "access.denied", "user.create " + name,
                    null, actor.role().label()));
            throw new AccessDeniedException(actor, Permission.MANAGE_USERS, "create users");
        }
        checkName(name);
        checkPassword(password);
        String hash = hasher.hash(password);
        Arrays.fill(password, '\0');
        Instant now = now();
        return store.inDurableTransaction(c -> {
            if (users.find(c, name).isPresent()) {
                throw new IllegalArgumentException("a user named \"" + name + "\" already exists");
            }
            users.insert(c, name, role, hash, now, actor.actor());
            store.audit().append(c, now, actor.actor(), "user.create", name, null,
                    "{\"role\":\"" + role.label() + "\"}");
            return users.find(c, name).orElseThrow().user();
        });
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
