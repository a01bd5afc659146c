package dev.exportdesk.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * {@code ledger-proofs.json}, delivered with every run beside {@code checkpoint.txt}: for each chunk
 * its leaf index, leaf text and inclusion proof in the checkpoint's tree, and the consistency proof
 * from the contract's previous checkpoint (null for the contract's first run). Hashes are base64.
 */
public record LedgerProofs(String origin, long treeSize, byte[] root, List<LeafProof> leaves, Previous previous) {
    public static final String FORMAT = "exportdesk-ledger-proofs/1";
    public static final String FILE_NAME = "ledger-proofs.json";
    public static final String CHECKPOINT_FILE_NAME = "checkpoint.txt";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public record LeafProof(String file, long leafIndex, String leaf, List<byte[]> inclusion) {
    }

    public record Previous(long treeSize, byte[] root, List<byte[]> consistency) {
    }

    public byte[] write() {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("format", FORMAT);
        n.put("origin", origin);
        n.put("tree_size", treeSize);
        n.put("root", b64(root));
        ArrayNode arr = n.putArray("leaves");
        for (LeafProof l : leaves) {
            ObjectNode o = arr.addObject();
            o.put("file", l.file());
            o.put("leaf_index", l.leafIndex());
            o.put("leaf", l.leaf());
            hashes(o.putArray("inclusion"), l.inclusion());
        }
        if (previous == null) {
            n.putNull("previous");
        } else {
            ObjectNode p = n.putObject("previous");
            p.put("tree_size", previous.treeSize());
            p.put("root", b64(previous.root()));
            hashes(p.putArray("consistency"), previous.consistency());
        }
        try {
            return (MAPPER.writeValueAsString(n) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static LedgerProofs read(byte[] bytes) {
        try {
            JsonNode n = MAPPER.readTree(bytes);
            if (n == null || !FORMAT.equals(n.path("format").asText())) {
                throw new LedgerException(FILE_NAME + " is not " + FORMAT);
            }
            List<LeafProof> leaves = new ArrayList<>();
            for (JsonNode o : n.path("leaves")) {
                leaves.add(new LeafProof(o.path("file").asText(), o.path("leaf_index").asLong(-1),
                        o.path("leaf").asText(), hashes(o.path("inclusion"))));
            }
            JsonNode p = n.path("previous");
            Previous previous = p.isObject() ? new Previous(p.path("tree_size").asLong(-1),
                    unb64(p.path("root").asText()), hashes(p.path("consistency"))) : null;
            return new LedgerProofs(n.path("origin").asText(), n.path("tree_size").asLong(-1),
                    unb64(n.path("root").asText()), leaves, previous);
        } catch (IOException | IllegalArgumentException e) {
            throw new LedgerException(FILE_NAME + " is malformed: " + e.getMessage(), e);
        }
    }

    private static void hashes(ArrayNode arr, List<byte[]> hashes) {
        hashes.forEach(h -> arr.add(b64(h)));
    }

    private static List<byte[]> hashes(JsonNode arr) {
        List<byte[]> out = new ArrayList<>();
        arr.forEach(h -> out.add(unb64(h.asText())));
        return out;
    }

    static String b64(byte[] h) {
        return Base64.getEncoder().encodeToString(h);
    }

    static byte[] unb64(String s) {
        return Base64.getDecoder().decode(s);
    }
}
