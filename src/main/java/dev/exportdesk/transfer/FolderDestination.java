package dev.exportdesk.transfer;

import dev.exportdesk.chunk.Hashing;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A partner drop folder. Each file is copied to a hidden temporary name ({@code .name.exportdesk-tmp}),
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

    /** Replacing: rename(2) over the old file is atomic, the partner opens the old bytes or the new. */
    @Override
    public void write(String path, Path localFile, String sha256, TransferProgress progress, WriteMode mode)
            throws DeliveryException {
        boolean replace = mode == WriteMode.REPLACE;
        Path target = resolve(path);
        try {
            if (Files.exists(target)) {
                String existing = Hashing.digest(target).sha256();
                if (existing.equals(sha256)) {
                    return;
                }
                if (!replace) {
                    throw new DeliveryException(target + " already exists with different content (sha256 "
                            + existing + ", expected " + sha256 + "); refusing to overwrite a delivered file", true);
                }
            }
            Files.createDirectories(target.getParent());
            Path temp = target.resolveSibling("." + target.getFileName() + TEMP_SUFFIX);
            MessageDigest md = Hashing.sha256();
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
                 OutputStream os = new DigestOutputStream(Channels.newOutputStream(out), md)) {
                copy(localFile, os, progress);
                os.flush();
                out.force(true);
            }
            String written = Hashing.hex(md.digest());
            if (!written.equals(sha256)) {
                Files.deleteIfExists(temp);
                throw new DeliveryException("staged file " + localFile + " hashes to " + written + ", not the sealed "
                        + sha256 + "; the staging area is damaged", true);
            }
            if (replace) {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
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
            return Files.isRegularFile(p) ? Optional.of(new RemoteFile(path, Files.size(p))) : Optional.empty();
        } catch (IOException e) {
            throw new DeliveryException("cannot stat " + p + ": " + e, false, e);
        }
    }

    @Override
    public InputStream open(String path) throws DeliveryException {
        Path p = resolve(path);
        try {
            return Files.newInputStream(p);
        } catch (NoSuchFileException e) {
            throw new DeliveryException("missing at destination: " + path, true, e);
        } catch (IOException e) {
            throw new DeliveryException("cannot read " + p + ": " + e, false, e);
        }
    }

    @Override
    public List<RemoteFile> list(String directory) throws DeliveryException {
        Path dir = resolve(directory);
        List<RemoteFile> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (Files.isRegularFile(f) && !name.endsWith(TEMP_SUFFIX)) {
                    out.add(new RemoteFile(directory + "/" + name, Files.size(f)));
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
    public int removeAbandonedTemporaries(String directory) throws DeliveryException {
        Path dir = resolve(directory);
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + TEMP_SUFFIX)) {
            for (Path f : files) {
                Files.deleteIfExists(f);
                removed++;
            }
        } catch (IOException e) {
            throw new DeliveryException("cannot clean " + dir + ": " + e, false, e);
        }
        return removed;
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
