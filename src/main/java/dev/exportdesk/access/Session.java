package dev.exportdesk.access;

import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.store.StateStore;
import java.util.function.Supplier;

/**
 * The checks every guarded call makes, shared by the guards of each area: the user's role as the
 * state store holds it at that moment (one primary-key read), refusals audited and thrown, and a
 * session that ended stays ended.
 */
final class Session {
    private final User signedIn;
    private final EngineContext ctx;
    private final UserService users;
    /** The user as of the last check; read by the UI thread, written by background calls. */
    private volatile User latest;
    /**
     * Set when the session ended. It stays ended: enabling the account again, or the user replacing
     * a reset password, must not revive a session that may be in the wrong hands.
     */
    private volatile SessionEndedException ended;

    Session(User signedIn, EngineContext ctx, UserService users) {
        this.signedIn = signedIn;
        this.latest = signedIn;
        this.ctx = ctx;
        this.users = users;
    }

    /** The user who signed in, as they were then. */
    User signedIn() {
        return signedIn;
    }

    /** The user with the role found at the last check (no store access). */
    User latest() {
        return latest;
    }

    User refresh() {
        latest = live(null, () -> users.current(signedIn));
        return latest;
    }

    void require(Permission permission, String action) {
        latest = live(action, () -> users.authorize(signedIn, permission, action, action));
    }

    /**
     * Runs {@code call} unless the session already ended (then refused again, audited when it is an
     * {@code action}); a call that finds the session ended marks it so for good.
     */
    <T> T live(String action, Supplier<T> call) {
        SessionEndedException e = ended;
        if (e != null) {
            if (action != null) {
                users.deny(signedIn, action, "account " + e.reason());
            }
            throw e;
        }
        try {
            return call.get();
        } catch (SessionEndedException x) {
            ended = x;
            throw x;
        }
    }

    void audit(String action, String subject, String before, String after) {
        StateStore store = ctx.store();
        store.updateDurably(c -> store.audit().append(c, ctx.now(), signedIn.actor(), action, subject, before, after));
    }
}
