package dev.exportdesk.partner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.fs.OwnerOnly;
import dev.exportdesk.fs.SafeFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What the partner's verifier remembers between deliveries: for each contract, every run it
 * verified (sequence, manifest SHA-256, the checkpoint that run carried). It lives in the
 * partner's own state directory, one owner-only file per contract, never in the delivery — the
 * sender writes there and could otherwise choose what the verifier trusts. Remembering every run
 * lets an unchanged run verify again, and a changed one fail.
 */
final class VerifierState {
    /** Contract names become file names here; the sender's contract names are allow-listed the same way. */
    static final Pattern CONTRACT_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final long MAX_FILE_BYTES = 64L << 20;
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final Path dir;
    private final Map<String, ObjectNode> loaded = new HashMap<>();

    record Seen(String origin, long treeSize, byte[] root, long sequence, String manifestSha256) {
    }

    private VerifierState(Path dir) {
        this.dir = dir;
    }

    /** {@code dir} null keeps nothing between calls (every run is a first sight). */
    static VerifierState open(Path dir) throws IOException {
        if (dir != null && Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IOException("--state " + dir + " is a file; give a directory (one file per contract is kept "
                    + "there)");
        }
        if (dir != null) {
            OwnerOnly.newDirectory(dir);
        }
        return new VerifierState(dir);
    }

    /** The run of {@code contract} with this sequence, as verified before, or null. */
    Seen run(String contract, long sequence) throws IOException {
        JsonNode n = runs(contract).path(Long.toString(sequence));
        return n.isObject() ? seen(n, sequence) : null;
    }

    /** The latest run of {@code contract} verified before, or null. */
    Seen latest(String contract) throws IOException {
        ObjectNode runs = runs(contract);
        long max = -1;
        for (Iterator<String> it = runs.fieldNames(); it.hasNext(); ) {
            max = Math.max(max, Long.parseLong(it.next()));
        }
        return max < 0 ? null : seen(runs.get(Long.toString(max)), max);
    }

    void record(String contract, Seen seen) throws IOException {
        ObjectNode n = runs(contract).putObject(Long.toString(seen.sequence()));
        n.put("manifest_sha256", seen.manifestSha256());
        n.put("origin", seen.origin());
        n.put("tree_size", seen.treeSize());
        n.put("root", Base64.getEncoder().encodeToString(seen.root()));
        if (dir != null) {
            ObjectNode file = MAPPER.createObjectNode().put("contract", contract);
            file.set("runs", runs(contract));
            SafeFiles.replaceAtomically(file(contract), MAPPER.writeValueAsBytes(file), OwnerOnly.fileAttributes(dir));
        }
    }

    private ObjectNode runs(String contract) throws IOException {
        ObjectNode runs = loaded.get(contract);
        if (runs != null) {
            return runs;
        }
        runs = MAPPER.createObjectNode();
        if (dir != null && SafeFiles.lstat(file(contract)) != null) {
            JsonNode root = MAPPER.readTree(SafeFiles.readRegular(file(contract), MAX_FILE_BYTES));
            if (root == null || !root.path("runs").isObject()) {
                throw new IOException("verifier state " + file(contract) + " is damaged (no \"runs\" object)");
            }
            runs = (ObjectNode) root.get("runs");
        }
        loaded.put(contract, runs);
        return runs;
    }

    private Path file(String contract) {
        if (!CONTRACT_NAME.matcher(contract).matches()) {
            throw new IllegalArgumentException("contract name \"" + contract + "\" is not a safe file name");
        }
        return dir.resolve(contract + ".json");
    }

    private static Seen seen(JsonNode n, long sequence) {
        return new Seen(n.path("origin").asText(), n.path("tree_size").asLong(),
                Base64.getDecoder().decode(n.path("root").asText()), sequence, n.path("manifest_sha256").asText());
    }
}
