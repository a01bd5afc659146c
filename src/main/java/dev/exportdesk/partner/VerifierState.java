package dev.exportdesk.partner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;

/**
 * What the partner's verifier remembers between deliveries, per contract: the last verified
 * checkpoint (origin, tree size, root) and manifest (sequence, SHA-256). Kept in a small JSON
 * file, replaced atomically.
 */
final class VerifierState {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final Path file;
    private final ObjectNode root;

    record Seen(String origin, long treeSize, byte[] root, long sequence, String manifestSha256) {
    }

    private VerifierState(Path file, ObjectNode root) {
        this.file = file;
        this.root = root;
    }

    static VerifierState load(Path file) throws IOException {
        if (file == null || !Files.exists(file)) {
            return new VerifierState(file, MAPPER.createObjectNode());
        }
        JsonNode n = MAPPER.readTree(file.toFile());
        return new VerifierState(file, n instanceof ObjectNode o ? o : MAPPER.createObjectNode());
    }

    Seen get(String contract) {
        JsonNode n = root.path("contracts").path(contract);
        if (!n.isObject()) {
            return null;
        }
        return new Seen(n.path("origin").asText(), n.path("tree_size").asLong(), Base64.getDecoder().decode(
                n.path("root").asText()), n.path("sequence").asLong(), n.path("manifest_sha256").asText());
    }

    void put(String contract, Seen seen) {
        ObjectNode contracts = root.has("contracts") ? (ObjectNode) root.get("contracts") : root.putObject("contracts");
        ObjectNode n = contracts.putObject(contract);
        n.put("origin", seen.origin());
        n.put("tree_size", seen.treeSize());
        n.put("root", Base64.getEncoder().encodeToString(seen.root()));
        n.put("sequence", seen.sequence());
        n.put("manifest_sha256", seen.manifestSha256());
    }

    void save() throws IOException {
        if (file == null) {
            return;
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, MAPPER.writeValueAsBytes(root));
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
