package dev.exportdesk.fs;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Keeps a tree private to the account that owns it (0700 folders, 0600 files) whatever the umask
 * the process was started with; Java cannot set the umask, so files created with the default
 * mode are tightened afterwards, and the 0700 folders keep everyone else out in between. On file
 * systems without POSIX permissions (Windows) this does nothing.
 */
public final class OwnerOnly {
    public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private OwnerOnly() {
    }

    /** For {@code FileChannel.open}/{@code Files.createFile}: an owner-only new file where POSIX applies. */
    public static FileAttribute<?>[] fileAttributes(Path dir) {
        return posix(dir) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)}
                : new FileAttribute<?>[0];
    }

    /**
     * Creates {@code root} and the folders {@code created} if missing, then makes {@code root} 0700,
     * its regular files 0600 and every existing tree in {@code children} owner-only. Other folders in
     * {@code root} are left as they are: a workspace pointed at a folder that holds more than
     * ExportDesk's files must not have those rewritten.
     */
    public static void tree(Path root, List<String> created, List<String> children) throws IOException {
        Files.createDirectories(root);
        for (String child : created) {
            Files.createDirectories(root.resolve(child));
        }
        if (!posix(root)) {
            return;
        }
        set(root, DIRECTORY);
        try (Stream<Path> entries = Files.list(root)) {
            for (Path p : entries.toList()) {
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    set(p, FILE);
                }
            }
        }
        for (String child : children) {
            if (Files.isDirectory(root.resolve(child), LinkOption.NOFOLLOW_LINKS)) {
                tighten(root.resolve(child));
            }
        }
    }

    /** Creates {@code dir} 0700 when it is missing; one that exists is the user's choice and left as it is. */
    public static void newDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            if (posix(dir)) {
                Files.setPosixFilePermissions(dir, DIRECTORY);
            }
        }
    }

    /** Every folder below and including {@code root} 0700, every file 0600; links are left alone, never followed. */
    public static void tighten(Path root) throws IOException {
        if (!posix(root)) {
            return;
        }
        Files.walkFileTree(root.toRealPath(), new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                set(dir, DIRECTORY);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile()) {
                    set(file, FILE);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                // a file removed while walking (a lock file, an H2 temporary) needs no tightening
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void set(Path p, Set<PosixFilePermission> perms) throws IOException {
        try {
            if (!Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS).equals(perms)) {
                Files.setPosixFilePermissions(p, perms);
            }
        } catch (java.nio.file.NoSuchFileException gone) {
            // removed meanwhile: nothing to protect
        }
    }

    private static boolean posix(Path p) {
        return Files.getFileAttributeView(p, PosixFileAttributeView.class) != null;
    }
}
