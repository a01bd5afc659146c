package dev.exportdesk.engine.delivery;

import dev.exportdesk.chunk.Hashing;
import dev.exportdesk.store.ChunkRecord;
import dev.exportdesk.store.Lease;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Staged chunk files under a lease (team mode). Workers of one store share the staging directory, and
 * a stale worker may wake up in the middle of writing a chunk the new holder writes too: so a chunk is
 * written under a name of its epoch ({@code chunk-000007.jsonl.e3}), which no other claim ever uses,
 * and moved to its delivery name only after its seal committed under the lease. The file at the
 * delivery name therefore always holds sealed bytes. A holder that dies between the seal and the move
 * leaves the sealed bytes under the epoch name, where the next holder finds them by their hash.
 * Without a lease (solo mode) the chunk is written at its delivery name, as always.
 */
public final class StagedChunks {
    private static final Pattern EPOCH_SUFFIX = Pattern.compile("\\.e[0-9]{1,18}");

    private StagedChunks() {
    }

    /** The name a chunk is written under before its seal. */
    public static String scratchName(Optional<Lease> lease, String file) {
        return lease.map(l -> file + ".e" + l.epoch()).orElse(file);
    }

    /**
     * A key range's chunk has no number until its seal commits, so before the seal its sealed bytes
     * take a name made of their SHA-256 and the claim's epoch; a holder that dies between the seal and
     * {@link #publish} leaves them where {@link #locate} finds them by the sealed hash.
     */
    public static String parkSealed(Path staging, String scratch, String sha256, Optional<Lease> lease) throws IOException {
        String parked = sha256 + lease.map(l -> ".e" + l.epoch()).orElse("");
        move(staging.resolve(scratch), staging.resolve(parked));
        return parked;
    }

    /** After the seal committed: the sealed bytes take their delivery name. */
    public static void publish(Path staging, String scratch, String file) throws IOException {
        if (!scratch.equals(file)) {
            move(staging.resolve(scratch), staging.resolve(file));
        }
    }

    /**
     * The staged copy of a sealed chunk at its delivery name, moved there from an epoch name when an
     * earlier holder sealed it but did not move it. Only a regular file whose SHA-256 is the sealed one
     * is taken; the path is returned whether or not a copy was found.
     */
    public static Path locate(Path staging, ChunkRecord chunk) throws IOException {
        Path target = staging.resolve(chunk.fileName());
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) || !Files.isDirectory(staging)) {
            return target;
        }
        if (chunk.sha256() == null) {
            return target;
        }
        for (String prefix : new String[] {chunk.fileName(), chunk.sha256()}) {
            Optional<Path> found = find(staging, prefix, chunk.sha256());
            if (found.isPresent()) {
                move(found.get(), target);
                return target;
            }
        }
        return target;
    }

    /** A regular file named {@code prefix} plus an epoch suffix whose bytes hash to {@code sha256}. */
    private static Optional<Path> find(Path staging, String prefix, String sha256) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(staging, prefix + ".e*")) {
            for (Path p : files) {
                String suffix = p.getFileName().toString().substring(prefix.length());
                if (!EPOCH_SUFFIX.matcher(suffix).matches() || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                if (Hashing.digest(p).sha256().equals(sha256)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            // another holder moved the same sealed bytes into place first
            if (!Files.exists(to, LinkOption.NOFOLLOW_LINKS)) {
                throw e;
            }
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the staging directory cannot rename atomically: " + e.getMessage(), e);
        }
    }
}
