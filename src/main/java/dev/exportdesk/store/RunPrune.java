package dev.exportdesk.store;

import java.time.Instant;
import java.util.List;

/**
 * A delivered run removed, or being removed, from its destination by retention: the folder it was
 * delivered to and every file the engine delivered there, with its SHA-256, as the ledger records them.
 */
public record RunPrune(String runId, String contractName, PruneState state, String runDirectory,
                       List<PrunedFile> files, String actor, Instant plannedAt, Instant prunedAt) {

    public RunPrune {
        files = List.copyOf(files);
    }

    /** One delivered file; {@code hashedFrom} says whether the hash is the store's record or read at the destination. */
    public record PrunedFile(String name, String sha256, String hashedFrom) {
    }

    /** The file list as stored: one {@code sha256 hashedFrom name} line per file. */
    static String text(List<PrunedFile> files) {
        StringBuilder sb = new StringBuilder();
        for (PrunedFile f : files) {
            sb.append(f.sha256()).append(' ').append(f.hashedFrom()).append(' ').append(f.name()).append('\n');
        }
        return sb.toString();
    }

    static List<PrunedFile> parse(String text) {
        return text.lines().filter(l -> !l.isBlank()).map(l -> {
            String[] parts = l.split(" ", 3);
            return new PrunedFile(parts[2], parts[0], parts[1]);
        }).toList();
    }
}
