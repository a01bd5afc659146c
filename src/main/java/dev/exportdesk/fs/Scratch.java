package dev.exportdesk.fs;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where plaintext that must touch a disk goes while it is read back: a decrypted chunk, a Parquet
 * file whose footer comes last. In the workspace ({@code scratch/}, owner-only like the rest)
 * rather than the machine's shared temporary folder, so a partner's data never leaves the folder
 * the operator protects and backs up, and what a killed process left is found and removed the next
 * time the workspace opens ({@link #removeLeftovers}).
 */
public final class Scratch {
    /** The workspace's folder for it. */
    public static final String FOLDER = "scratch";
    /** {@code <pid>-<kind>-<16 hex>.part}: the process that made it, so another process's file is left alone. */
    private static final Pattern NAME = Pattern.compile("(\\d{1,19})-[a-z]{1,16}-[0-9a-f]{16}\\.part");
    private final Path dir;

    public Scratch(Path dir) {
        this.dir = dir;
    }

    /** The JDK's temporary folder: for the partner's verifier, which runs without a workspace. */
    public static Scratch system() {
        return new Scratch(Path.of(System.getProperty("java.io.tmpdir")));
    }

    public Path dir() {
        return dir;
    }

    /**
     * A new owner-only file named for this process and {@code kind} (lowercase letters), created
     * rather than opened, so nothing already there (a link, another file) is ever written through.
     * The caller closes the channel and deletes the file.
     */
    public SafeFiles.Temp create(String kind) throws IOException {
        if (!kind.matches("[a-z]{1,16}")) {
            throw new IllegalArgumentException("scratch kind: " + kind);
        }
        OwnerOnly.newDirectory(dir);
        Path file = dir.resolve(ProcessHandle.current().pid() + "-" + kind + "-" + SafeFiles.randomHex() + ".part");
        return SafeFiles.createNew(file, OwnerOnly.fileAttributes(dir));
    }

    /**
     * Deletes the scratch files of processes no longer running (a SIGKILL or power cut skips their
     * own deletion); files of live processes, names this class did not make and anything that is
     * not a regular file are left alone. Returns how many were removed.
     */
    public int removeLeftovers() throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        int removed = 0;
        long self = ProcessHandle.current().pid();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                Matcher m = NAME.matcher(f.getFileName().toString());
                if (!m.matches() || !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                long pid;
                try {
                    pid = Long.parseLong(m.group(1));
                } catch (NumberFormatException e) {
                    continue;
                }
                if (pid == self || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                if (Files.deleteIfExists(f)) {
                    removed++;
                }
            }
        }
        return removed;
    }
}
