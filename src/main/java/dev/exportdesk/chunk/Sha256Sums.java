package dev.exportdesk.chunk;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code SHA256SUMS} file, in the text format {@code sha256sum -c} checks: the chunks in
 * manifest order, then the run's other files delivered before it (the signed checkpoint and the
 * ledger proofs), so it is never empty and protects those too. {@code manifest.json} comes after
 * it and is covered by the ledger instead.
 */
public final class Sha256Sums {
    private Sha256Sums() {
    }

    /** {@code others}: file name → SHA-256, in the order to list them after the chunks. */
    public static byte[] write(List<ChunkEntry> chunks, Map<String, String> others) {
        StringBuilder sb = new StringBuilder();
        for (ChunkEntry c : chunks) {
            sb.append(c.sha256()).append("  ").append(c.file()).append('\n');
        }
        others.forEach((file, sha) -> sb.append(sha).append("  ").append(file).append('\n'));
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** File name → hash; malformed lines are reported by the caller through a missing entry. */
    public static Map<String, String> read(byte[] bytes) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            if (line.length() > 66 && line.charAt(64) == ' ' && (line.charAt(65) == ' ' || line.charAt(65) == '*')) {
                out.put(line.substring(66), line.substring(0, 64));
            }
        }
        return out;
    }
}
