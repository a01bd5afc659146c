package dev.exportdesk.fs;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * File operations for folders someone else can write to (a shared drop folder, a delivery the
 * partner received): a temporary is created with {@code CREATE_NEW} and {@code NOFOLLOW_LINKS}
 * under a name nobody can predict, so a link planted in advance is never written through; a file
 * is read only when it is a regular file (a FIFO would block the open forever, a link would read
 * somebody else's file), opened without following links, and never past a size bound.
 */
public final class SafeFiles {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();
    private static final Set<OpenOption> NEW_FILE = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS);
    private static final Set<OpenOption> READ = Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);

    private SafeFiles() {
    }

    /** A freshly created temporary and its open channel; the caller closes the channel. */
    public record Temp(Path path, FileChannel channel) {
    }

    /** Thrown where a name holds a link, FIFO, socket, device or directory instead of a regular file. */
    public static final class NotRegularFileException extends FileSystemException {
        public NotRegularFileException(Path file, String kind) {
            super(file.toString(), null, "is a " + kind + ", not a regular file");
        }
    }

    /** {@code .NAME.<16 random hex digits><suffix>}: hidden, recognisable by {@link #isTempName}, unguessable. */
    public static String tempName(String finalName, String suffix) {
        return "." + finalName + "." + randomHex() + suffix;
    }

    /** 16 random hex digits, for names nobody can guess. */
    public static String randomHex() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return HEX.formatHex(b);
    }

    public static boolean isTempName(String name, String suffix) {
        return Pattern.matches("\\..+\\.[0-9a-f]{16}" + Pattern.quote(suffix), name);
    }

    /** Creates a temporary for {@code target} beside it; fails rather than open anything already there. */
    public static Temp newTemp(Path target, String suffix, FileAttribute<?>... attrs) throws IOException {
        return createNew(target.resolveSibling(tempName(target.getFileName().toString(), suffix)), attrs);
    }

    /** Creates {@code file} open for writing; fails rather than open anything already there (a link too). */
    public static Temp createNew(Path file, FileAttribute<?>... attrs) throws IOException {
        return new Temp(file, FileChannel.open(file, NEW_FILE, attrs));
    }

    /**
     * Puts {@code bytes} at {@code target} atomically: written to a new temporary, fsynced, renamed
     * over the target. A link at the target is replaced, never written through.
     */
    public static void replaceAtomically(Path target, byte[] bytes, FileAttribute<?>... attrs) throws IOException {
        Temp temp = newTemp(target, ".tmp", attrs);
        try {
            try (FileChannel ch = temp.channel()) {
                ch.write(java.nio.ByteBuffer.wrap(bytes));
                ch.force(true);
            }
            Files.move(temp.path(), target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp.path());
        }
    }

    /** The entry's own attributes (a link is described as a link), or null when nothing is there. */
    public static BasicFileAttributes lstat(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** What kind of entry this is, in words for an error message. */
    public static String kind(BasicFileAttributes a) {
        if (a.isSymbolicLink()) {
            return "symbolic link";
        }
        if (a.isDirectory()) {
            return "directory";
        }
        return a.isRegularFile() ? "regular file" : "FIFO, socket or device";
    }

    /** The regular file's attributes; a missing file, a link or any other kind of entry is refused. */
    public static BasicFileAttributes requireRegular(Path file) throws IOException {
        BasicFileAttributes a = lstat(file);
        if (a == null) {
            throw new NoSuchFileException(file.toString());
        }
        if (!a.isRegularFile()) {
            throw new NotRegularFileException(file, kind(a));
        }
        return a;
    }

    /** Opens a regular file for reading; the stream fails once it has given more than {@code maxBytes}. */
    public static InputStream openRegular(Path file, long maxBytes) throws IOException {
        BasicFileAttributes a = requireRegular(file);
        if (a.size() > maxBytes) {
            throw new FileSystemException(file.toString(), null, "is " + a.size() + " bytes, over the limit of "
                    + maxBytes);
        }
        return new Bounded(Channels.newInputStream(FileChannel.open(file, READ)), file, maxBytes);
    }

    public static byte[] readRegular(Path file, long maxBytes) throws IOException {
        try (InputStream in = openRegular(file, maxBytes)) {
            return in.readAllBytes();
        }
    }

    /**
     * Creates {@code dir} and whatever is missing between {@code base} and it, refusing a step
     * below {@code base} that is a link or not a directory, so a link planted where a folder is
     * expected cannot redirect writes elsewhere. {@code base} itself is trusted.
     */
    public static Path createDirectoriesBelow(Path base, Path dir) throws IOException {
        Files.createDirectories(base);
        Path rel = base.relativize(dir);
        Path p = base;
        for (Path segment : rel) {
            if (segment.toString().isEmpty()) {
                continue;
            }
            p = p.resolve(segment);
            BasicFileAttributes a = lstat(p);
            if (a == null) {
                try {
                    Files.createDirectory(p);
                } catch (java.nio.file.FileAlreadyExistsException raced) {
                    a = lstat(p);
                }
            }
            if (a != null && !a.isDirectory()) {
                throw new FileSystemException(p.toString(), null, "is a " + kind(a) + ", not a directory");
            }
        }
        return dir;
    }

    /**
     * Removes {@code below}'s last name under {@code base}: a regular file ({@code directory} false)
     * or an empty directory (true), reached through real directories only. Each step is opened
     * relative to the one before with no link followed ({@link java.nio.file.SecureDirectoryStream},
     * openat/unlinkat), so a folder swapped for a link between a check and the removal cannot send
     * it elsewhere. False when the name is absent, is something else, or a step is not a directory.
     * A directory that is not empty throws {@link java.nio.file.DirectoryNotEmptyException}.
     */
    public static boolean removeBelow(Path base, Path below, boolean directory) throws IOException {
        Path rel = base.relativize(below);
        if (rel.getNameCount() == 0 || rel.toString().isEmpty() || rel.startsWith("..")) {
            return false;
        }
        try (java.nio.file.DirectoryStream<Path> top = Files.newDirectoryStream(base)) {
            if (!(top instanceof java.nio.file.SecureDirectoryStream<Path> dir)) {
                throw new FileSystemException(base.toString(), null, "this file system cannot remove files without "
                        + "following links (no openat/unlinkat)");
            }
            return removeIn(dir, rel, 0, directory);
        } catch (NoSuchFileException | java.nio.file.NotDirectoryException e) {
            return false;
        }
    }

    private static boolean removeIn(java.nio.file.SecureDirectoryStream<Path> dir, Path rel, int i, boolean directory)
            throws IOException {
        Path name = rel.getName(i);
        BasicFileAttributes a = dir.getFileAttributeView(name, java.nio.file.attribute.BasicFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS).readAttributes();
        if (i < rel.getNameCount() - 1) {
            if (!a.isDirectory()) {
                return false; // a link or a file where a folder belongs
            }
            // swapped for a link since the look above: openat(O_NOFOLLOW) fails, and nothing is removed
            try (java.nio.file.SecureDirectoryStream<Path> next = dir.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
                return removeIn(next, rel, i + 1, directory);
            }
        }
        if (directory ? !a.isDirectory() : !a.isRegularFile()) {
            return false;
        }
        if (directory) {
            dir.deleteDirectory(name);
        } else {
            dir.deleteFile(name);
        }
        return true;
    }

    private static final class Bounded extends FilterInputStream {
        private final Path file;
        private final long max;
        private long read;

        Bounded(InputStream in, Path file, long max) {
            super(in);
            this.file = file;
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(long n) throws IOException {
            read += n;
            if (read > max) {
                throw new FileSystemException(file.toString(), null, "grew past the limit of " + max + " bytes");
            }
        }
    }
}
