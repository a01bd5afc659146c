package dev.exportdesk.partner;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exportdesk.fs.SafeFiles;
import dev.exportdesk.ledger.LedgerProofs;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a run folder may hold: the files the manifest and the delivery format account for, each a
 * regular file. Anything else — a chunk no manifest lists, a link, a FIFO, a sub-folder — fails
 * the run, named, so nothing unverified sits beside verified data.
 */
final class RunFolder {
    static final String SUMS = "SHA256SUMS";

    private RunFolder() {
    }

    /** Names a run folder holds besides its chunks: written by the sender, or by this verifier (the receipt). */
    static Set<String> fixedNames() {
        return Set.of(RunIdentity.MANIFEST, SUMS, LedgerProofs.CHECKPOINT_FILE_NAME, LedgerProofs.FILE_NAME,
                PartnerVerifier.RECEIPT_FILE, OpenPgpCheck.MANIFEST_SIGNATURE);
    }

    static Item check(Path dir, String run, JsonNode m) throws IOException {
        Set<String> expected = new HashSet<>(fixedNames());
        m.path("chunks").forEach(c -> expected.add(c.path("file").asText()));
        Set<String> unlisted = new TreeSet<>();
        List<String> notFiles = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                BasicFileAttributes a = SafeFiles.lstat(p);
                if (a == null) {
                    continue;
                }
                boolean known = expected.contains(name) || name.matches("redelivery-[1-9][0-9]*\\.json");
                if (known && !a.isRegularFile()) {
                    notFiles.add(name + " is a " + SafeFiles.kind(a));
                } else if (!known && !(a.isRegularFile() && temporary(name))) {
                    unlisted.add(a.isRegularFile() ? name : name + " (" + SafeFiles.kind(a) + ")");
                }
            }
        }
        List<String> problems = new ArrayList<>(notFiles);
        if (!unlisted.isEmpty()) {
            problems.add("not part of the run (no manifest entry): " + String.join(", ", unlisted));
        }
        return problems.isEmpty() ? Item.pass(run, "run folder", "holds only the run's files")
                : Item.fail(run, "run folder", String.join("; ", problems));
    }

    /** An upload in progress or abandoned by the sender, or this verifier's own receipt temporary. */
    private static boolean temporary(String name) {
        return SafeFiles.isTempName(name, ".exportdesk-tmp")
                || name.startsWith("." + PartnerVerifier.RECEIPT_FILE + ".") && SafeFiles.isTempName(name, ".tmp");
    }
}
