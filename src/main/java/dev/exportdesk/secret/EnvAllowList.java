package dev.exportdesk.secret;

import dev.exportdesk.store.EnvAllowRepository;
import dev.exportdesk.store.StateStore;
import dev.exportdesk.text.Text;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which environment variables of the ExportDesk process a contract may name ({@code password_env},
 * {@code *_key_env}, a source's {@code password_env}), and where each may be sent. Deny by default:
 * an administrator allows a variable for one {@link SecretScope} at a time, so an allowed
 * {@code SFTP_PASSWORD} bound to {@code sftp://a:22} is still refused for any other host. The
 * product's own {@code EXPORTDESK_*} variables (the master secret among them) are never allowed.
 */
public final class EnvAllowList {
    public static final String RESERVED_PREFIX = "EXPORTDESK_";
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private final StateStore store;
    private final Clock clock;
    private final EnvAllowRepository rows = new EnvAllowRepository();

    public EnvAllowList(StateStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Allows {@code variable} for {@code scope} (audited {@code secret.allow_env}); false if it already was. */
    public boolean allow(String variable, String scope, String actor) {
        Instant now = clock.instant();
        return store.inDurableTransaction(c -> allow(c, variable, scope, actor, now));
    }

    /**
     * The same in the caller's transaction: an administrator who names a variable on a source
     * connection allows it for that source with the same act.
     */
    public boolean allow(Connection c, String variable, String scope, String actor, Instant now) throws SQLException {
        checkName(variable);
        if (reserved(variable)) {
            throw new SecretException(variable + " is ExportDesk's own variable and is never sent to a destination "
                    + "or source");
        }
        String bound = SecretScope.parse(scope);
        boolean added = rows.add(c, variable, bound, actor, now);
        if (added) {
            store.audit().append(c, now, actor, "secret.allow_env", "env " + variable, null,
                    SecretVault.json("scope", bound));
        }
        return added;
    }

    /** Withdraws an allowance (audited {@code secret.revoke_env}); false if there was none. */
    public boolean revoke(String variable, String scope, String actor) {
        checkName(variable);
        String bound = SecretScope.parse(scope);
        Instant now = clock.instant();
        return store.inDurableTransaction(c -> {
            boolean removed = rows.remove(c, variable, bound);
            if (removed) {
                store.audit().append(c, now, actor, "secret.revoke_env", "env " + variable,
                        SecretVault.json("scope", bound), null);
            }
            return removed;
        });
    }

    public List<EnvAllowRepository.Row> list() {
        return store.inTransaction(rows::list);
    }

    /**
     * Passes when an administrator allowed {@code variable} for {@code scope} (canonical, e.g. from
     * {@link SecretScope#of} or {@link SecretScope#source}); otherwise audits {@code secret.refused}
     * as {@code actor} and throws a {@link SecretException} that says which command allows it.
     */
    public void check(String variable, String scope, String actor) {
        if (variable == null || !NAME.matcher(variable).matches()) {
            throw refuse(variable, scope, actor, "\"" + Text.safe(variable) + "\" is not an environment variable name");
        }
        if (reserved(variable)) {
            throw refuse(variable, scope, actor, "environment variable " + variable + " is ExportDesk's own and is "
                    + "never sent anywhere (refused and audited)");
        }
        if (!store.inTransaction(c -> rows.allowed(c, variable, scope))) {
            throw refuse(variable, scope, actor, "environment variable " + variable + " is not allowed for " + scope
                    + " (refused and audited); an administrator allows it with `exportdesk secret allow-env "
                    + variable + " --scope " + scope + "`");
        }
    }

    private SecretException refuse(String variable, String scope, String actor, String message) {
        Instant now = clock.instant();
        store.updateDurably(c -> store.audit().append(c, now, actor, "secret.refused", "env " + variable, null,
                SecretVault.json("destination", scope)));
        return new SecretException(message);
    }

    private static boolean reserved(String variable) {
        return variable.toUpperCase(Locale.ROOT).startsWith(RESERVED_PREFIX);
    }

    private static void checkName(String variable) {
        if (variable == null || !NAME.matcher(variable).matches()) {
            throw new SecretException("invalid environment variable name \"" + Text.safe(variable)
                    + "\"");
        }
    }
}
