package dev.exportdesk.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The H2 state store's files in {@code <workspace>/state}: the database, the random password it
 * is opened with (so no contract's source URL can open it, even from inside this process), and
 * the identity marker that makes a deleted, emptied or swapped store visible instead of silently
 * replaced by a new empty one.
 */
final class StoreFiles {
    static final String DATABASE = "exportdesk";
    static final String PASSWORD_FILE = "store.password";
    static final String MARKER_FILE = "workspace.id";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** H2's error code for a wrong user name or password. */
    private static final int WRONG_PASSWORD = 28000;

    private final Path root;
    private final Path state;

    StoreFiles(Path root) {
        this.root = root;
        this.state = root.resolve("state");
    }

    Path databaseFile() {
        return state.resolve(DATABASE + ".mv.db");
    }

    /**
     * {@code WRITE_DELAY=0} commits to the file straight away; durability against power loss comes
     * from {@link StateStore#durableBarrier()}. The default file lock stays on (never FILE_LOCK=NO,
     * never AUTO_SERVER): the workspace lock in front of it gives the readable error.
     */
    String url() {
        return "jdbc:h2:file:" + state.resolve(DATABASE).toAbsolutePath() + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
    }

    /**
     * Refuses to let a workspace that has held state start over with an empty store, and returns
     * the password to open the store with (creating it, or moving an older workspace's store off
     * the empty default password).
     */
    String prepare() {
        Optional<String> marker = read(state.resolve(MARKER_FILE));
        if (!Files.exists(databaseFile(), LinkOption.NOFOLLOW_LINKS)) {
            List<Path> traces = traces(marker.isPresent());
            if (!traces.isEmpty()) {
                throw new StoreIntegrityException("the state store " + databaseFile() + " is missing, but this "
                        + "workspace has held state (" + traces.get(0) + " exists). Restore "
                        + databaseFile().getFileName() + " from your backup into " + state + ", or, to start an empty "
                        + "workspace, move " + root + " aside and open a new one.");
            }
            String password = newSecret();
            writeOwnerOnly(state.resolve(PASSWORD_FILE), password);
            return password;
        }
        Optional<String> password = read(state.resolve(PASSWORD_FILE));
        if (password.isPresent()) {
            // not probed here: opening and closing the database an extra time at every start is a
            // pattern of its own after a crash; the pool's first connection tells (see adopt)
            return password.get();
        }
        return adopt(newSecret());
    }

    /**
     * The store does not open with {@code password}: a store from before store passwords (still on
     * H2's empty default, perhaps after a crash between writing the password file and changing it)
     * is moved to it; any other store is refused.
     */
    String adopt(String password) {
        if (!opens("")) {
            throw new StoreIntegrityException("the state store " + databaseFile() + " does not open with this "
                    + "workspace's password (" + state.resolve(PASSWORD_FILE) + "): it belongs to another workspace, "
                    + "or the password file was replaced. Restore both from the same backup.");
        }
        writeOwnerOnly(state.resolve(PASSWORD_FILE), password);
        try (Connection c = DriverManager.getConnection(url(), "sa", "");
             Statement st = c.createStatement()) {
            st.execute("ALTER USER SA SET PASSWORD '" + password + "'");
        } catch (SQLException e) {
            throw new StoreException("cannot set the state store's password: " + e.getMessage(), e);
        }
        return password;
    }

    /** Whether opening the store failed on its password (H2's error 28000 anywhere in the causes). */
    static boolean wrongPassword(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getErrorCode() == WRONG_PASSWORD) {
                return true;
            }
        }
        return false;
    }

    /**
     * After migration: a store this workspace created carries the marker's id; a store from before
     * markers is adopted; any other store (empty, or another workspace's) is refused.
     */
    void checkIdentity(StateStore store) {
        Path markerFile = state.resolve(MARKER_FILE);
        Optional<String> marker = read(markerFile);
        Optional<String> stored = store.inTransaction(StoreFiles::storedId);
        if (marker.isPresent()) {
            if (stored.isEmpty()) {
                throw new StoreIntegrityException("the state store " + databaseFile() + " is empty, but this workspace "
                        + "has held state since it was created (" + markerFile + "). Restore "
                        + databaseFile().getFileName() + " from your backup, or move " + root + " aside to start over.");
            }
            if (!stored.get().equals(marker.get())) {
                throw new StoreIntegrityException("the state store " + databaseFile() + " belongs to another "
                        + "workspace (id " + stored.get() + ", this workspace is " + marker.get() + "). Restore this "
                        + "workspace's own store from your backup.");
            }
            return;
        }
        String id = stored.orElseGet(() -> {
            String fresh = HexFormat.of().formatHex(randomBytes(16));
            store.updateDurably(c -> {
                try (PreparedStatement st = c.prepareStatement(
                        "INSERT INTO workspace_identity(id, created_at) VALUES (?, ?)")) {
                    st.setString(1, fresh);
                    st.setObject(2, Instant.now().atOffset(ZoneOffset.UTC));
                    st.executeUpdate();
                }
            });
            return fresh;
        });
        writeOwnerOnly(markerFile, id);
    }

    /** The database file's identity, to notice it being deleted or replaced while open. */
    Object fileKey() {
        try {
            return Files.readAttributes(databaseFile(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    private static Optional<String> storedId(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT id FROM workspace_identity");
             ResultSet rs = st.executeQuery()) {
            return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        }
    }

    /** Files that only a workspace with state has: their presence means an empty store is a loss. */
    private List<Path> traces(boolean marker) {
        List<Path> found = new java.util.ArrayList<>();
        if (marker) {
            found.add(state.resolve(MARKER_FILE));
        }
        for (Path p : List.of(root.resolve("ledger").resolve("signing.key"), root.resolve("secrets").resolve("master.key"),
                root.resolve("secrets").resolve("pbkdf2.salt"))) {
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                found.add(p);
            }
        }
        return found;
    }

    private boolean opens(String password) {
        try (Connection c = DriverManager.getConnection(url() + ";IFEXISTS=TRUE", "sa", password)) {
            return true;
        } catch (SQLException e) {
            if (e.getErrorCode() == WRONG_PASSWORD) {
                return false;
            }
            throw new StoreException("cannot open the state store " + databaseFile() + ": " + e.getMessage(), e);
        }
    }

    private static Optional<String> read(Path file) {
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) > 1024) {
                return Optional.empty();
            }
            String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            return text.isEmpty() ? Optional.empty() : Optional.of(text);
        } catch (IOException e) {
            throw new StoreException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Written under a fresh name with owner-only rights from the start, then moved over {@code file}. */
    static void writeOwnerOnly(Path file, String text) {
        Path tmp = file.resolveSibling("." + file.getFileName() + "." + HexFormat.of().formatHex(randomBytes(8)));
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                ch.write(java.nio.ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.US_ASCII)));
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (FileAlreadyExistsException e) {
            throw new StoreException("cannot create " + tmp + ": it already exists", e);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new StoreException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static String newSecret() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(24));
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
