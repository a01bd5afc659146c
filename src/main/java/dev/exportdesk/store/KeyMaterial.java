package dev.exportdesk.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The workspace's AES-256 master key: derived from {@value #MASTER_SECRET_ENV} with
 * PBKDF2-HMAC-SHA256 ({@value #PBKDF2_ITERATIONS} iterations) and a salt, or read from a 32-byte
 * owner-only key file ({@value #KEY_FILE_ENV}, default {@code <workspace>/secrets/master.key},
 * created on first use). A solo workspace keeps its salt in {@code secrets/pbkdf2.salt}; a team
 * store keeps it in the store, so every machine with the same secret derives the same key.
 */
public record KeyMaterial(String source, SecretKey key) {
    public static final String MASTER_SECRET_ENV = "EXPORTDESK_MASTER_SECRET";
    public static final String KEY_FILE_ENV = "EXPORTDESK_KEY_FILE";
    public static final String PBKDF2 = "pbkdf2";
    public static final String KEY_FILE = "keyfile";
    public static final int PBKDF2_ITERATIONS = 600_000;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Which kind of key {@code env} selects, without deriving it. */
    public static String sourceFor(Map<String, String> env) {
        String master = env.get(MASTER_SECRET_ENV);
        return master != null && !master.isEmpty() ? PBKDF2 : KEY_FILE;
    }

    /** A solo workspace's key: the salt is the workspace's own {@code secrets/pbkdf2.salt}. */
    public static KeyMaterial local(Path workspaceRoot, Map<String, String> env) {
        Path dir = secretsDir(workspaceRoot);
        return derive(workspaceRoot, env, () -> readOrCreate(dir.resolve("pbkdf2.salt"), 16));
    }

    /** The key for {@code env}, a PBKDF2 one with the salt {@code salt} supplies (asked only when needed). */
    public static KeyMaterial derive(Path workspaceRoot, Map<String, String> env, Supplier<byte[]> salt) {
        String master = env.get(MASTER_SECRET_ENV);
        Path dir = secretsDir(workspaceRoot);
        if (PBKDF2.equals(sourceFor(env))) {
            PBEKeySpec spec = new PBEKeySpec(master.toCharArray(), salt.get(), PBKDF2_ITERATIONS, 256);
            try {
                byte[] raw = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
                return new KeyMaterial(PBKDF2, new SecretKeySpec(raw, "AES"));
            } catch (GeneralSecurityException e) {
                throw new StoreConfigException("cannot derive the workspace key: " + e.getMessage(), e);
            } finally {
                spec.clearPassword();
            }
        }
        String file = env.get(KEY_FILE_ENV);
        Path keyFile = file != null && !file.isEmpty() ? Path.of(file) : dir.resolve("master.key");
        return new KeyMaterial(KEY_FILE, new SecretKeySpec(readOrCreate(keyFile, 32), "AES"));
    }

    public static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private static Path secretsDir(Path workspaceRoot) {
        Path dir = workspaceRoot.resolve("secrets");
        try {
            if (!Files.isDirectory(dir)) {
                try {
                    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rwx------")));
                } catch (UnsupportedOperationException noPosix) {
                    Files.createDirectories(dir);
                }
            }
            return dir;
        } catch (IOException e) {
            throw new StoreConfigException("cannot read or create the workspace key: " + e.getMessage(), e);
        }
    }

    private static byte[] readOrCreate(Path file, int length) {
        try {
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                create(file, length);
            }
            try {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
                if (!OWNER_ONLY.containsAll(perms)) {
                    throw new StoreConfigException("key file " + file + " is readable by others ("
                            + PosixFilePermissions.toString(perms) + "); run chmod 600 on it");
                }
            } catch (UnsupportedOperationException noPosix) {
                // not a POSIX file system: rely on the platform's ACLs
            }
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length != length) {
                throw new StoreConfigException("key file " + file + " must hold exactly " + length + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw new StoreConfigException("cannot read or create the workspace key: " + e.getMessage(), e);
        }
    }

    /**
     * Writes a fresh key where no reader can see it half-written: a temporary under an unpredictable
     * name in the same directory (CREATE_NEW, owner-only, synced), then published with a hard link. A failure at
     * any step removes the temporary, so a crash or a full disk never leaves an empty key that the
     * next start would refuse, or worse, use. A key another process created meanwhile wins.
     */
    private static void create(Path file, int length) throws IOException {
        byte[] fresh = randomBytes(length);
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = dir.resolve("." + file.getFileName() + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".tmp");
        try {
            try (FileChannel ch = open(tmp)) {
                ch.write(ByteBuffer.wrap(fresh));
                ch.force(true);
            }
            // a hard link publishes the complete file atomically and, unlike a rename, never replaces one
            Files.createLink(file, tmp);
        } catch (FileAlreadyExistsException raced) {
            // another process created it first: use theirs
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static FileChannel open(Path tmp) throws IOException {
        Set<StandardOpenOption> opts = EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            return FileChannel.open(tmp, opts, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (UnsupportedOperationException noPosix) {
            return FileChannel.open(tmp, opts);
        }
    }
}
