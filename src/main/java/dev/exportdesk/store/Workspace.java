package dev.exportdesk.store;

import dev.exportdesk.fs.OwnerOnly;
import dev.exportdesk.fs.Scratch;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A workspace directory: the H2 state store, staging area for chunks being packaged, and logs.
 * Opening one takes an exclusive lock for the life of the object, and refuses a store that is
 * missing, empty or another workspace's once this one has held state ({@link StoreFiles}). A team
 * workspace keeps its state in a shared PostgreSQL store instead ({@link StoreMode#TEAM}) and
 * takes no lock; its folder still holds staging and logs. The
 * tree is owner-only (0700 folders, 0600 files) whatever the umask: made so when opened and again
 * when closed.
 */
public final class Workspace implements AutoCloseable {
    public static final String HOME_ENV = "EXPORTDESK_HOME";
    private static final List<String> CREATED = List.of("state", "staging", "logs", Scratch.FOLDER);
    /** Folders ExportDesk keeps in a workspace (some made when first needed), owner-only with it. */
    private static final List<String> PRIVATE = List.of("state", "staging", "logs", Scratch.FOLDER, "retained", "ledger",
            "secrets", "verifier-state");

    private final Path root;
    /** Null in team mode: a shared store is opened by many consoles and workers at once. */
    private final WorkspaceLock lock;
    private final StateStore store;
    private final KeyMaterial teamKey;

    private Workspace(Path root, WorkspaceLock lock, StateStore store, KeyMaterial teamKey) {
        this.root = root;
        this.lock = lock;
        this.store = store;
        this.teamKey = teamKey;
    }

    /** {@code --workspace} wins, then {@code EXPORTDESK_HOME}, then {@code ~/.exportdesk}. */
    public static Path resolveRoot(Optional<Path> explicit, Map<String, String> env) {
        if (explicit.isPresent()) {
            return explicit.get().toAbsolutePath().normalize();
        }
        String home = env.get(HOME_ENV);
        if (home != null && !home.isBlank()) {
            return Path.of(home).toAbsolutePath().normalize();
        }
        return Path.of(System.getProperty("user.home"), ".exportdesk").toAbsolutePath().normalize();
    }

    /** Opens the workspace with the store the process environment chooses ({@link #open(Path, Map)}). */
    public static Workspace open(Path root) {
        return open(root, System.getenv());
    }

    /**
     * Opens the workspace at {@code root}: its own H2 store under an exclusive lock, or, when
     * {@code state/team-store.json} or {@value TeamStoreConfig#URL_ENV} names one, the team's
     * PostgreSQL store without a lock, once its schema is current and its identity accepts this
     * machine's master key ({@link TeamStores}). Every entry point (CLI, console, tests) comes here.
     */
    public static Workspace open(Path root, Map<String, String> env) {
        makeTree(root);
        Optional<TeamStoreConfig.Settings> team = TeamStoreConfig.resolve(root, env);
        if (team.isPresent()) {
            TeamStores.Opened opened = TeamStores.open(root, env, team.get());
            return new Workspace(root, null, opened.store(), opened.key());
        }
        return openSolo(root);
    }

    /** The workspace's folders, owner-only whatever the umask. */
    static void makeTree(Path root) {
        try {
            OwnerOnly.tree(root, CREATED, PRIVATE);
            new Scratch(root.resolve(Scratch.FOLDER)).removeLeftovers();
        } catch (IOException e) {
            throw new StoreException("cannot create workspace " + root + ": " + e.getMessage(), e);
        }
    }

    private static Workspace openSolo(Path root) {
        WorkspaceLock lock = WorkspaceLock.acquire(root);
        try {
            StoreFiles files = new StoreFiles(root);
            String password = files.prepare();
            StateStore store;
            try {
                store = StateStore.open(files.url(), "sa", password);
            } catch (RuntimeException e) {
                if (!StoreFiles.wrongPassword(e)) {
                    throw e;
                }
                store = StateStore.open(files.url(), "sa", files.adopt(password));
            }
            try {
                files.checkIdentity(store);
                Object opened = files.fileKey();
                store.integrityCheck(() -> {
                    if (opened == null || !opened.equals(files.fileKey())) {
                        throw new StoreIntegrityException("the state store " + files.databaseFile() + " was deleted "
                                + "or replaced while this process had it open; nothing more is recorded. Restore it "
                                + "from your backup before the next run.");
                    }
                });
            } catch (RuntimeException e) {
                store.close();
                throw e;
            }
            return new Workspace(root, lock, store, null);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    public Path root() {
        return root;
    }

    public Path stagingDir() {
        return root.resolve("staging");
    }

    public Path logsDir() {
        return root.resolve("logs");
    }

    /** The H2 state store's database file ({@code state/exportdesk.mv.db}). */
    public Path storeFile() {
        return new StoreFiles(root).databaseFile();
    }

    public StateStore store() {
        return store;
    }

    public StoreMode mode() {
        return store.mode();
    }

    public boolean teamMode() {
        return mode() == StoreMode.TEAM;
    }

    /** A team store's master key, derived with the store's salt and checked against its identity; empty when solo. */
    public Optional<KeyMaterial> teamKey() {
        return Optional.ofNullable(teamKey);
    }

    @Override
    public void close() {
        try {
            store.close();
            // files created this session with the process umask (store, logs, ledger, retained copies)
            OwnerOnly.tree(root, List.of(), PRIVATE);
        } catch (IOException e) {
            throw new StoreException("cannot make workspace " + root + " owner-only: " + e.getMessage(), e);
        } finally {
            if (lock != null) {
                lock.close();
            }
        }
    }
}
