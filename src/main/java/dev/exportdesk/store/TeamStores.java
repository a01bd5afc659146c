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
        KeyMaterial key = null;
        String password;
        if (settings.envPassword().isPresent()) {
            password = settings.envPassword().get();
        } else {
            TeamStoreConfig file = settings.file().filter(f -> f.password() != null).orElseThrow(() ->
                    new StoreConfigException("no password for the team store " + settings.url() + ": set "
                            + TeamStoreConfig.PASSWORD_ENV + ", or run `exportdesk store init` to keep it (encrypted) "
                            + "in this workspace"));
            key = KeyMaterial.derive(root, env, file::saltBytes);
            password = file.openPassword(key).orElseThrow();
        }
        StateStore store = StateStore.open(settings.url(), settings.user(), password, SchemaPolicy.REQUIRE_CURRENT);
        try {
            TeamIdentity identity = store.inTransaction(TeamIdentity::read).orElseThrow(() -> new StoreConfigException(
                    "the database " + settings.url() + " is not an ExportDesk team store yet: an administrator runs "
                            + "`exportdesk store init " + settings.url() + " --user " + settings.user() + "`"));
            if (key == null || !sameSalt(settings, identity)) {
                key = KeyMaterial.derive(root, env, identity::saltBytes);
            }
            identity.requireKey(key);
            store.team(identity, key);
            return new Opened(store, key, identity);
        } catch (RuntimeException e) {
            store.close();
            throw e;
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
