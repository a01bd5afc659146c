package dev.exportdesk.partner;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exportdesk.fs.SafeFiles;
import dev.exportdesk.ledger.LedgerProofs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The run's {@code SHA256SUMS}: one line per chunk, then the signed checkpoint and the ledger
 * proofs (docs/delivery-format.md). Runs delivered before the ledger files were listed have
 * chunk lines only, and still pass; a line for anything else fails.
 */
final class Sums {
    private Sums() {
    }

    /** File → hash, or null (with a failing item) when missing, not a regular file or malformed. */
    static Map<String, String> read(Path dir, String run, List<Item> items) {
        byte[] bytes;
        try {
            bytes = SafeFiles.readRegular(dir.resolve(RunFolder.SUMS), PartnerVerifier.MAX_SUMS_BYTES);
        } catch (IOException e) {
            items.add(Item.fail(run, RunFolder.SUMS, "missing or unreadable: " + e.getMessage()));
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            int sp = line.indexOf("  ");
            String file = sp == 64 ? line.substring(sp + 2).replaceFirst("^\\*", "") : null;
            if (file == null || out.put(file, line.substring(0, 64)) != null) {
                items.add(Item.fail(run, RunFolder.SUMS, (file == null ? "malformed" : "repeated") + " line: " + line));
                return null;
            }
        }
        return out;
    }

    /** The lines that are not chunks: only the ledger files, each with the hash of the file delivered. */
    static Item extras(Path dir, String run, JsonNode m, Map<String, String> sums) {
        Set<String> chunks = new HashSet<>();
        m.path("chunks").forEach(c -> chunks.add(c.path("file").asText()));
        List<String> problems = new ArrayList<>();
        int ledgerFiles = 0;
        for (Map.Entry<String, String> e : sums.entrySet()) {
            String file = e.getKey();
            if (chunks.contains(file)) {
                continue;
            }
            long max = file.equals(LedgerProofs.CHECKPOINT_FILE_NAME) ? PartnerVerifier.MAX_CHECKPOINT_BYTES
                    : file.equals(LedgerProofs.FILE_NAME) ? PartnerVerifier.MAX_PROOFS_BYTES : -1;
            if (max < 0) {
                problems.add("lists " + file + ", which is no file of the run");
                continue;
            }
            ledgerFiles++;
            try {
                String sha = HexFormat.of().formatHex(PartnerVerifier.sha256().digest(
                        SafeFiles.readRegular(dir.resolve(file), max)));
                if (!sha.equals(e.getValue())) {
                    problems.add(file + " hashes to " + sha + ", listed as " + e.getValue());
                }
            } catch (IOException x) {
                problems.add(file + " unreadable: " + x.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            return Item.fail(run, RunFolder.SUMS, String.join("; ", problems));
        }
        return Item.pass(run, RunFolder.SUMS, ledgerFiles == 2 ? "lists every chunk and the ledger files with their "
                + "hashes" : "lists every chunk with its manifest hash (ledger files not listed: an older run)");
    }
}
