package dev.exportdesk.ledger;

import java.util.Base64;

/**
 * A C2SP tlog checkpoint body (https://c2sp.org/tlog-checkpoint): origin line, tree size in
 * decimal, base64 root hash, each ending in a newline. Signed, it becomes a {@link SignedNote}.
 */
public record Checkpoint(String origin, long size, byte[] root) {

    public String text() {
        return origin + "\n" + size + "\n" + Base64.getEncoder().encodeToString(root) + "\n";
    }

    public String rootHex() {
        return java.util.HexFormat.of().formatHex(root);
    }

    public static Checkpoint parse(String text) {
        String[] lines = text.split("\n", -1);
        if (lines.length < 4 || !lines[lines.length - 1].isEmpty()) {
            throw new LedgerException("checkpoint must have origin, size and root lines");
        }
        try {
            long size = Long.parseLong(lines[1]);
            byte[] root = Base64.getDecoder().decode(lines[2]);
            if (size < 0 || root.length != 32 || lines[0].isEmpty()) {
                throw new LedgerException("checkpoint size or root is invalid");
            }
            return new Checkpoint(lines[0], size, root);
        } catch (IllegalArgumentException e) {
            throw new LedgerException("checkpoint size or root is invalid: " + e.getMessage());
        }
    }
}
