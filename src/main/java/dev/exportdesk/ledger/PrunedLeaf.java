package dev.exportdesk.ledger;

import java.nio.charset.StandardCharsets;

/**
 * A ledger leaf recording that retention removed one delivered file from the destination, with the
 * SHA-256 it had (docs/ledger.md):
 * <pre>exportdesk-pruned/1 contract=C run=SEQ run_id=ID file=F sha256=H hashed_from=store|destination</pre>
 * {@code hashed_from}: the hash the state store recorded when the file was sealed or written, or,
 * for run files whose hash the store does not keep, the hash of the bytes read at the destination
 * just before the prune. The chunk leaves of the run stay in the ledger as they were.
 */
public record PrunedLeaf(String contract, long sequence, String runId, String file, String sha256, String hashedFrom) {
    public static final String FORMAT = "exportdesk-pruned/1";

    public String text() {
        return FORMAT + " contract=" + contract + " run=" + sequence + " run_id=" + runId + " file=" + file
                + " sha256=" + sha256 + " hashed_from=" + hashedFrom;
    }

    public byte[] hash() {
        return Merkle.leafHash(text().getBytes(StandardCharsets.UTF_8));
    }

    public static boolean isPruned(String leaf) {
        return leaf.startsWith(FORMAT + " ");
    }
}
