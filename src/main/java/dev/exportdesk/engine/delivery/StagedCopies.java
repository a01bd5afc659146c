package dev.exportdesk.engine.delivery;

import dev.exportdesk.engine.EngineContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sealed chunk files kept after delivery while the partner's receipt is outstanding (contracts
 * with {@code destination.ack_deadline}), so a chunk the receipt finds wanting is sent again with
 * exactly its sealed bytes — the source may have changed since, so it could not be rebuilt. They
 * live in the workspace's {@code retained/RUN_ID/} and go when the receipt accepts the run.
 */
public final class StagedCopies {
    private static final Logger LOG = LoggerFactory.getLogger(StagedCopies.class);
    private final Path root;

    public StagedCopies(EngineContext ctx) {
        this.root = ctx.stagingDir().resolveSibling("retained");
    }

    /** {@code <workspace>/retained}: one folder per run. */
    public Path directory() {
        return root;
    }

    /** Moves a delivered chunk's staged file into the run's retained folder. */
    public void retain(Path staged, String runId) {
        if (!Files.exists(staged)) {
            return;
        }
        try {
            Path dir = Files.createDirectories(root.resolve(runId));
            Files.move(staged, dir.resolve(staged.getFileName()), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("could not keep {} for redelivery: {}", staged, e.toString());
        }
    }

    public Optional<Path> find(String runId, String fileName) {
        Path p = root.resolve(runId).resolve(fileName);
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    /** Bytes held for a run (shown by {@code status}). */
    long bytes(String runId) {
        Path dir = root.resolve(runId);
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    /** The receipt accepted the run: its copies are no longer needed. */
    public void release(String runId) {
        Path dir = root.resolve(runId);
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            LOG.warn("could not remove retained copies of run {}: {}", runId, e.toString());
        }
    }
}
