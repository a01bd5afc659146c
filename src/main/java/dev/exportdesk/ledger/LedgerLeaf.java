package dev.exportdesk.ledger;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * One leaf of the workspace ledger: a sealed chunk's manifest entry, as one line of text that the
 * partner can rebuild from {@code manifest.json} alone:
 * <pre>exportdesk-leaf/1 contract=C run=SEQ run_id=ID file=F rows=N sha256=H content_sha256=H</pre>
 * The Merkle leaf is the UTF-8 bytes of this line (no line terminator).
 */
public record LedgerLeaf(String contract, long sequence, String runId, String file, long rows, String sha256,
                         String contentSha256) {
    public static final String FORMAT = "exportdesk-leaf/1";

    public String text() {
        return FORMAT + " contract=" + contract + " run=" + sequence + " run_id=" + runId + " file=" + file
                + " rows=" + rows + " sha256=" + sha256 + " content_sha256=" + contentSha256;
    }

    public byte[] bytes() {
        return text().getBytes(StandardCharsets.UTF_8);
    }

    public byte[] hash() {
        return Merkle.leafHash(bytes());
    }

    public static String hex(byte[] hash) {
        return HexFormat.of().formatHex(hash);
    }
}
