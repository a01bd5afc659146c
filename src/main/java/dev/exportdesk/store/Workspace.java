package dev.exportdesk.store;

import dev.exportdesk.fs.OwnerOnly;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A workspace directory: the H2 state store, staging area for chunks being packaged, and logs.
 * Opening one takes an exclusive lock for the life of the object, and refuses a store that is
 * missing, empty or another workspace's once this one has held state ({@link StoreFiles}). The
 * tree is owner-only (0700 folders, 0600 files) whatever the umask: made so when opened and again
 * when closed.
 */
public final class Workspace implements AutoCloseable {
    public static final String HOME_ENV = "EXPORTDESK_HOME";
    private static final List<String> CREATED = List.of("state", "staging", "logs");
    /** Folders ExportDesk keeps in a workspace (some made when first needed), owner-only with it. */
    private static final List<String> PRIVATE = List.of("state", "staging", "logs", "retained", "ledger", "secrets",
            "verifier-state");

    private final Path root;
    private final WorkspaceLock lock;
    private final StateStore store;

    private Workspace(Path root, WorkspaceLock lock, StateStore store) {
        this.root = root;
        this.lock = lock;
        this.store = store;
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

    public static Workspace open(Path root) {
        try {
            OwnerOnly.tree(root, CREATED, PRIVATE);
        } catch (IOException e) {
            throw new StoreException("cannot create workspace " + root + ": " + e.getMessage(), e);
        }
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
            return new Workspace(root, lock, store);
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

    @Override
    public void close() {
        try {
            store.close();
            // files created this session with the process umask (store, logs, ledger, retained copies)
            OwnerOnly.tree(root, List.of(), PRIVATE);
        } catch (IOException e) {
            throw new StoreException("cannot make workspace " + root + " owner-only: " + e.getMessage(), e);
        } finally {
            lock.close();
        }
    }
}
