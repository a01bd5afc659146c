package dev.exportdesk.transfer;

import dev.exportdesk.chunk.Hashing;
import dev.exportdesk.fs.SafeFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A partner drop folder. Each file is copied to a hidden temporary name ({@code .name.<random>.exportdesk-tmp}),
 * hashed while copying, fsynced, atomically renamed to its final name, and the directory fsynced,
 * so the partner never sees a partial file and a power cut cannot undo a completed delivery.
 */
public final class FolderDestination implements Destination {
    static final String TEMP_SUFFIX = ".exportdesk-tmp";
    private static final int COPY_BUFFER = 256 * 1024;
    private final Path root;

    public FolderDestination(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    Path resolve(String relative) throws DeliveryException {
        Path p = root;
        for (String segment : RelativePath.segments(relative)) {
            p = p.resolve(segment);
        }
        p = p.normalize();
        if (!p.startsWith(root)) {
            throw new DeliveryException("path \"" + relative + "\" leaves the destination root " + root, true);
        }
        return p;
    }

    /**
     * Replacing: rename(2) over the old file is atomic, the partner opens the old bytes or the new.
     * The partner can write here too, so nothing already at a name is trusted: the temporary is
     * created new under an unguessable name, a link where the file or a folder belongs is never
     * followed, and only a regular file is read to compare it.
     */
    @Override
    public void write(String path, Path localFile, String sha256, TransferProgress progress, WriteMode mode)
            throws DeliveryException {
        boolean replace = mode == WriteMode.REPLACE;
        Path target = resolve(path);
        try {
            BasicFileAttributes existing = SafeFiles.lstat(target);
            if (existing != null && existing.isRegularFile()) {
                String held;
                try (InputStream in = SafeFiles.openRegular(target, existing.size())) {
                    held = Hashing.digest(in).sha256();
                }
                if (held.equals(sha256)) {
                    return;
                }
                if (!replace) {
                    throw new DeliveryException(target + " already exists with different content (sha256 "
                            + held + ", expected " + sha256 + "); refusing to overwrite a delivered file", true);
                }
            } else if (existing != null && !replace) {
                throw new DeliveryException(target + " is a " + SafeFiles.kind(existing) + ", not a delivered file; "
                        + "refusing to write there", true);
            }
            SafeFiles.createDirectoriesBelow(root, target.getParent());
            SafeFiles.Temp temp = SafeFiles.newTemp(target, TEMP_SUFFIX);
            try {
                deliverTemp(temp, target, localFile, sha256, progress, replace);
            } finally {
                // gone after the rename; a failed attempt's is never reused (its name is random), so it goes now
                Files.deleteIfExists(temp.path());
            }
            fsyncDirectory(target.getParent());
        } catch (AccessDeniedException e) {
            throw new DeliveryException("permission denied writing " + e.getFile(), true, e);
        } catch (NoSuchFileException e) {
            throw new DeliveryException("no such file: " + e.getFile(), false, e);
        } catch (IOException e) {
            throw new DeliveryException("writing " + target + " failed: " + e, false, e);
        }
    }

    private static void deliverTemp(SafeFiles.Temp temp, Path target, Path localFile, String sha256,
                                    TransferProgress progress, boolean replace) throws IOException, DeliveryException {
        MessageDigest md = Hashing.sha256();
        try (FileChannel out = temp.channel();
             OutputStream os = new DigestOutputStream(Channels.newOutputStream(out), md)) {
            copy(localFile, os, progress);
            os.flush();
            out.force(true);
        }
        String written = Hashing.hex(md.digest());
        if (!written.equals(sha256)) {
            throw new DeliveryException("staged file " + localFile + " hashes to " + written + ", not the sealed "
                    + sha256 + "; the staging area is damaged", true);
        }
        if (replace) {
            Files.move(temp.path(), target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } else {
            publishNew(temp.path(), target, sha256);
        }
    }

    /**
     * Publishes without ever replacing: link(2) fails when the name exists, so two writers of one file
     * (a worker that lost its lease and woke up, and the worker that took its run over) can neither
     * overwrite nor duplicate it; the one that comes second finds the sealed bytes there and is done.
     * On a filesystem without hard links an atomic rename, which replaces, is the fallback.
     */
    private static void publishNew(Path temp, Path target, String sha256) throws IOException, DeliveryException {
        try {
            Files.createLink(target, temp);
        } catch (FileAlreadyExistsException e) {
            BasicFileAttributes there = SafeFiles.lstat(target);
            if (there == null || !there.isRegularFile()) {
                throw new DeliveryException(target + " appeared while it was written and is "
                        + (there == null ? "gone again" : "a " + SafeFiles.kind(there)) + "; refusing to write there",
                        true);
            }
            String held;
            try (InputStream in = SafeFiles.openRegular(target, there.size())) {
                held = Hashing.digest(in).sha256();
            }
            if (!held.equals(sha256)) {
                throw new DeliveryException(target + " appeared while it was written, with different content (sha256 "
                        + held + ", expected " + sha256 + "); refusing to overwrite a delivered file", true);
            }
        } catch (UnsupportedOperationException | FileSystemException e) {
            if (e instanceof NoSuchFileException || e instanceof AccessDeniedException) {
                throw e;
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** Piece by piece, so a bandwidth cap (a mounted network share) paces the copy. */
    private static void copy(Path from, OutputStream to, TransferProgress progress) throws IOException {
        byte[] buf = new byte[COPY_BUFFER];
        try (InputStream in = Files.newInputStream(from)) {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                progress.sent(n);
                to.write(buf, 0, n);
            }
        }
    }

    private static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    @Override
    public Optional<RemoteFile> stat(String path) throws DeliveryException {
        Path p = resolve(path);
        try {
            BasicFileAttributes a = SafeFiles.lstat(p);
            return a != null && a.isRegularFile() ? Optional.of(new RemoteFile(path, a.size())) : Optional.empty();
        } catch (IOException e) {
            throw new DeliveryException("cannot stat " + p + ": " + e, false, e);
        }
    }

    @Override
    public InputStream open(String path) throws DeliveryException {
        Path p = resolve(path);
        try {
            return SafeFiles.openRegular(p, Long.MAX_VALUE);
        } catch (NoSuchFileException e) {
            throw new DeliveryException("missing at destination: " + path, true, e);
        } catch (SafeFiles.NotRegularFileException e) {
            throw new DeliveryException("refusing to read " + p + ": " + e.getReason(), true, e);
        } catch (IOException e) {
            throw new DeliveryException("cannot read " + p + ": " + e, false, e);
        }
    }

    @Override
    public List<RemoteFile> list(String directory) throws DeliveryException {
        Path dir = resolve(directory);
        List<RemoteFile> out = new ArrayList<>();
        try {
            BasicFileAttributes d = SafeFiles.lstat(dir);
            if (d == null || !d.isDirectory()) {
                return out;
            }
        } catch (IOException e) {
            throw new DeliveryException("cannot list " + dir + ": " + e, false, e);
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                BasicFileAttributes a = SafeFiles.lstat(f);
                if (a != null && a.isRegularFile() && !name.endsWith(TEMP_SUFFIX)) {
                    out.add(new RemoteFile(directory + "/" + name, a.size()));
                }
            }
        } catch (IOException e) {
            throw new DeliveryException("cannot list " + dir + ": " + e, false, e);
        }
        out.sort((a, b) -> a.path().compareTo(b.path()));
        return out;
    }

    @Override
    public void delete(String path) throws DeliveryException {
        Path p = resolve(path);
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new DeliveryException("cannot delete " + p + ": " + e, false, e);
        }
    }

    @Override
    public boolean deleteDelivered(String path) throws DeliveryException {
        Path p = resolve(path);
        try {
            BasicFileAttributes a = SafeFiles.lstat(p);
            if (a == null || !a.isRegularFile() || !realFoldersUpTo(p.getParent())) {
                return false;
            }
            Files.delete(p);
            return true;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new DeliveryException("cannot delete " + p + ": " + e, false, e);
        }
    }

    @Override
    public void removeEmptyFolder(String directory) throws DeliveryException {
        Path dir = resolve(directory);
        try {
            BasicFileAttributes a = SafeFiles.lstat(dir);
            if (a != null && a.isDirectory() && !dir.equals(root) && realFoldersUpTo(dir.getParent())) {
                Files.delete(dir);
            }
        } catch (java.nio.file.DirectoryNotEmptyException | NoSuchFileException e) {
            // a partner's own file keeps the folder, as it should
        } catch (IOException e) {
            throw new DeliveryException("cannot remove " + dir + ": " + e, false, e);
        }
    }

    /** Every folder from {@code dir} up to the root is a real folder, not a link planted on the way. */
    private boolean realFoldersUpTo(Path dir) throws IOException {
        for (Path d = dir; d != null && d.startsWith(root) && !d.equals(root); d = d.getParent()) {
            BasicFileAttributes a = SafeFiles.lstat(d);
            if (a == null || !a.isDirectory()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int removeAbandonedTemporaries(String directory) throws DeliveryException {
        Path dir = resolve(directory);
        int removed = 0;
        try {
            BasicFileAttributes d = SafeFiles.lstat(dir);
            if (d == null || !d.isDirectory()) {
                return 0;
            }
        } catch (IOException e) {
            throw new DeliveryException("cannot clean " + dir + ": " + e, false, e);
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + TEMP_SUFFIX)) {
            for (Path f : files) {
                // only what an attempt of ours left: our name pattern, a regular file (deleting a link removes the link)
                BasicFileAttributes a = SafeFiles.lstat(f);
                if (a != null && a.isRegularFile() && ownTemporary(f.getFileName().toString())) {
                    Files.deleteIfExists(f);
                    removed++;
                }
            }
        } catch (IOException e) {
            throw new DeliveryException("cannot clean " + dir + ": " + e, false, e);
        }
        return removed;
    }

    /** Ours: {@code .NAME.<random>.exportdesk-tmp}, or {@code .NAME.exportdesk-tmp} left by versions before issue 11. */
    static boolean ownTemporary(String name) {
        return SafeFiles.isTempName(name, TEMP_SUFFIX) || name.startsWith(".") && name.length() > 1 + TEMP_SUFFIX.length();
    }

    @Override
    public String describe() {
        return "folder " + root;
    }

    @Override
    public void close() {
        // nothing held open
    }
}
