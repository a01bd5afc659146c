package dev.exportdesk.partner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.exportdesk.fs.SafeFiles;
import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;

/**
 * The runs under a folder laid out by a sender's path template ({@code acme/2026/12/orders-000007}):
 * every folder holding a manifest.json, at most as deep as a template may go, in the order of the
 * manifests' sequence numbers — folder names sort by date before sequence, and prove nothing. Links
 * are named and never followed; the walk is bounded in depth and in entries.
 */
final class TemplatedRuns {
    /** A template resolves to at most 8 folders (docs/contracts.md, "Path templates"). */
    static final int MAX_DEPTH = 8;
    static final int MAX_ENTRIES = 1_000_000;
    /** Links and unreadable entries named one by one at most; the rest are counted in one line. */
    static final int MAX_NAMED = 100;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TemplatedRuns() {
    }

    private record Run(Path dir, long sequence) {
    }

    static List<Path> find(Path root, List<Item> items) throws IOException {
        List<Run> runs = new ArrayList<>();
        int[] entries = {0};
        int[] refused = {0};
        Files.walkFileTree(root, EnumSet.noneOf(FileVisitOption.class), MAX_DEPTH, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (++entries[0] > MAX_ENTRIES) {
                    items.add(Item.fail(root.toString(), "folder", "more than " + MAX_ENTRIES + " entries; not "
                            + "searched further"));
                    return FileVisitResult.TERMINATE;
                }
                BasicFileAttributes m = SafeFiles.lstat(dir.resolve(RunIdentity.MANIFEST));
                if (m != null && m.isRegularFile()) {
                    runs.add(new Run(dir, sequence(dir)));
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (++entries[0] > MAX_ENTRIES) {
                    return FileVisitResult.TERMINATE;
                }
                if (attrs.isSymbolicLink() && ++refused[0] <= MAX_NAMED) {
                    String name = root.relativize(file).toString();
                    items.add(Item.fail(name, name, "is a link; not followed"));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                if (++refused[0] <= MAX_NAMED) {
                    String name = root.relativize(file).toString();
                    items.add(Item.fail(name, name, "cannot be read: " + e.getMessage()));
                }
                return FileVisitResult.CONTINUE;
            }
        });
        if (refused[0] > MAX_NAMED) {
            items.add(Item.fail(root.toString(), "folder", (refused[0] - MAX_NAMED) + " more links or unreadable "
                    + "entries; not followed"));
        }
        return runs.stream().sorted(Comparator.comparingLong(Run::sequence).thenComparing(Run::dir))
                .map(Run::dir).toList();
    }

    /** The manifest's sequence, for ordering only (the run's own check reads it again); unreadable: last. */
    private static long sequence(Path dir) {
        try {
            JsonNode m = MAPPER.readTree(SafeFiles.readRegular(dir.resolve(RunIdentity.MANIFEST),
                    PartnerVerifier.MAX_MANIFEST_BYTES));
            JsonNode s = m == null ? null : m.get("sequence");
            return s != null && s.canConvertToLong() ? s.asLong() : Long.MAX_VALUE;
        } catch (IOException | RuntimeException e) {
            return Long.MAX_VALUE;
        }
    }
}
