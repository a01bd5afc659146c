package dev.exportdesk.store;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * Opening and initialising a team store. Opening never writes to it: the schema must be current and
 * the store's identity must accept this machine's master key before the workspace exists.
 */
public final class TeamStores {
    private TeamStores() {
    }

    /** An open team store with the key checked against its identity. */
    record Opened(StateStore store, KeyMaterial key, TeamIdentity identity) {
    }

    static Opened open(Path root, Map<String, String> env, TeamStoreConfig.Settings settings) {
        return open(root, env, settings, SchemaPolicy.REQUIRE_CURRENT);
    }

    private static Opened open(Path root, Map<String, String> env, TeamStoreConfig.Settings settings,
                               SchemaPolicy policy) {
        Credentials credentials = credentials(root, env, settings);
        StateStore store = StateStore.open(settings.url(), settings.user(), credentials.password(), policy);
        try {
            Optional<TeamIdentity> found = policy == SchemaPolicy.INSPECT && !hasIdentityTable(store) ? Optional.empty()
                    : store.inTransaction(TeamIdentity::read);
            if (found.isEmpty()) {
                if (policy == SchemaPolicy.INSPECT) {
                    return new Opened(store, null, null);
                }
                throw new StoreConfigException("the database " + settings.url() + " is not an ExportDesk team store "
                        + "yet: an administrator runs `exportdesk store init " + settings.url() + " --user "
                        + settings.user() + "`");
            }
            TeamIdentity identity = found.get();
            KeyMaterial key = credentials.key() != null && sameSalt(settings, identity) ? credentials.key()
                    : KeyMaterial.derive(root, env, identity::saltBytes);
            identity.requireKey(key);
            store.team(identity, key);
            return new Opened(store, key, identity);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** The password to sign in with, and the key when it had to be derived to unseal it. */
    private record Credentials(String password, KeyMaterial key) {
    }

    private static Credentials credentials(Path root, Map<String, String> env, TeamStoreConfig.Settings settings) {
        if (settings.envPassword().isPresent()) {
            return new Credentials(settings.envPassword().get(), null);
        }
        TeamStoreConfig file = settings.file().filter(f -> f.password() != null).orElseThrow(() ->
                new StoreConfigException("no password for the team store " + settings.url() + ": set "
                        + TeamStoreConfig.PASSWORD_ENV + ", or run `exportdesk store init` to keep it (encrypted) "
                        + "in this workspace"));
        KeyMaterial key = KeyMaterial.derive(root, env, file::saltBytes);
        return new Credentials(file.openPassword(key).orElseThrow(), key);
    }

    private static boolean hasIdentityTable(StateStore store) {
        return store.schema().status().current() != null && store.inTransaction(c -> {
            try (var rs = c.getMetaData().getTables(null, null, "team_store", null)) {
                return rs.next();
            }
        });
    }

    /**
     * The workspace's team store for {@code store status} and {@code store migrate}: opened whatever
     * migrations it waits for (a newer schema is still refused), its identity checked against this
     * machine's key when it has one. Empty for a solo workspace.
     */
    public static Optional<Inspected> inspect(Path root, Map<String, String> env) {
        Workspace.makeTree(root);
        return TeamStoreConfig.resolve(root, env).map(settings -> {
            Opened opened = open(root, env, settings, SchemaPolicy.INSPECT);
            return new Inspected(opened.store(), settings.url(), settings.user(), Optional.ofNullable(opened.identity()));
        });
    }

    /** A team store opened for inspection or migration; closing it closes the store. */
    public record Inspected(StateStore store, String url, String user, Optional<TeamIdentity> identity)
            implements AutoCloseable {
        @Override
        public void close() {
            store.close();
        }
    }

    /**
     * {@code store migrate} on a team workspace: applies pending migrations once this machine's key
     * was accepted, gives a store without an identity (created through the environment) its own,
     * and audits the step when it changed the schema. Returns the schema status before and after.
     */
    public static StoreSchema.Status[] migrate(Path root, Map<String, String> env, String actor) {
        try (Inspected inspected = inspect(root, env).orElseThrow(() -> new StoreConfigException("this workspace "
                + "keeps its state in its own H2 store, which is migrated whenever it is opened")); ) {
            StateStore store = inspected.store();
            StoreSchema.Status before = store.schema().status();
            store.schema().migrate();
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            TeamIdentity identity = inspected.identity().orElseGet(() -> identify(root, env, store, now, actor));
            identity.requireKey(KeyMaterial.derive(root, env, identity::saltBytes));
            StoreSchema.Status after = store.schema().status();
            if (!before.pending().isEmpty()) {
                store.updateDurably(c -> store.audit().append(c, now, actor, "store.migrate", "store "
                        + identity.storeId(), "{\"version\":\"" + before.current() + "\"}", "{\"version\":\""
                        + after.current() + "\"}"));
            }
            return new StoreSchema.Status[] {before, after};
        }
    }

    private static boolean sameSalt(TeamStoreConfig.Settings settings, TeamIdentity identity) {
        return settings.file().map(f -> Arrays.equals(f.saltBytes(), identity.saltBytes())).orElse(false);
    }

    /**
     * Makes {@code root} a team workspace on the store at {@code url}: a database without an
     * ExportDesk schema is migrated and given its identity; an existing team store is joined if this
     * machine's master key is the team's (its schema must then be current). The password is kept,
     * sealed, in the workspace only when {@code keepPassword}. Refused for a workspace that already
     * has its own H2 store ({@code store copy-to} moves that one).
     */
    public static TeamIdentity init(Path root, Map<String, String> env, String url, String user, String password,
                                    boolean keepPassword, String actor) {
        StoreUrl.check("the store URL", url);
        Workspace.makeTree(root);
        Path h2 = new StoreFiles(root).databaseFile();
        if (Files.exists(h2, LinkOption.NOFOLLOW_LINKS)) {
            throw new StoreConfigException("this workspace already keeps its state in " + h2 + ": move it into the "
                    + "team store with `exportdesk store copy-to " + url + "` instead");
        }
        try (StateStore store = StateStore.open(url, user, password, SchemaPolicy.CREATE)) {
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            TeamIdentity identity = identify(root, env, store, now, actor);
            KeyMaterial key = KeyMaterial.derive(root, env, identity::saltBytes);
            identity.requireKey(key);
            TeamStoreConfig.of(url, user, identity, key, keepPassword ? Optional.of(password) : Optional.empty())
                    .write(root);
            return identity;
        }
    }

    /** The store's identity, created (and audited) when it has none; two machines racing meet on the key. */
    static TeamIdentity identify(Path root, Map<String, String> env, StateStore store, Instant now, String actor) {
        Optional<TeamIdentity> existing = store.inTransaction(TeamIdentity::read);
        if (existing.isPresent()) {
            return existing.get();
        }
        byte[] salt = TeamIdentity.newSalt();
        TeamIdentity fresh = TeamIdentity.create(KeyMaterial.derive(root, env, () -> salt), salt, now);
        try {
            store.updateDurably(c -> {
                fresh.insert(c);
                store.audit().append(c, now, actor, "store.init", "store " + fresh.storeId(), null,
                        "{\"key_source\":\"" + fresh.keySource() + "\"}");
            });
            return fresh;
        } catch (StoreException raced) {
            return store.inTransaction(TeamIdentity::read).orElseThrow(() -> raced);
        }
    }
}
