package dev.exportdesk.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.exportdesk.text.Text;
import dev.exportdesk.transfer.DeliveryException;
import dev.exportdesk.transfer.Destination;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a partner's acknowledgement receipt ({@code manifest.json.ack}, format
 * {@code exportdesk-ack/1}, docs/partner-guide.md) against what was delivered: the run id, the
 * manifest's SHA-256 and every chunk's SHA-256. Absent receipts are not an error here.
 */
public final class ReceiptVerifier {
    public static final String FILE_NAME = "manifest.json.ack";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The check of the receipt, or empty when the partner has not written one. */
    public Optional<Check> verify(Destination destination, String runDirectory, String runId, String manifestSha256,
                                  Map<String, String> chunkSha256) {
        String path = runDirectory + "/" + FILE_NAME;
        JsonNode root;
        try {
            if (destination.stat(path).isEmpty()) {
                return Optional.empty();
            }
            try (InputStream in = destination.open(path)) {
                root = MAPPER.readTree(in.readNBytes(1 << 20));
            }
        } catch (DeliveryException e) {
            return Optional.of(Check.fail(FILE_NAME, "unreadable: " + e.getMessage()));
        } catch (IOException e) {
            return Optional.of(Check.fail(FILE_NAME, "malformed: not valid JSON"));
        }
        List<String> problems = new ArrayList<>();
        if (root == null || !"exportdesk-ack/1".equals(root.path("format").asText())) {
            problems.add("format is not exportdesk-ack/1");
        }
        if (root != null && !runId.equals(root.path("run_id").asText())) {
            problems.add("run_id " + Text.safe(root.path("run_id").asText()) + ", delivered " + runId);
        }
        if (root != null && !manifestSha256.equals(root.path("manifest_sha256").asText())) {
            problems.add("manifest_sha256 " + Text.safe(root.path("manifest_sha256").asText()) + ", delivered "
                    + manifestSha256);
        }
        Map<String, String> acked = new HashMap<>();
        if (root != null) {
            root.path("chunks").forEach(n -> acked.put(n.path("file").asText(), n.path("sha256").asText()));
        }
        chunkSha256.forEach((file, sha) -> {
            if (!sha.equals(acked.get(file))) {
                problems.add(file + (acked.containsKey(file) ? " acknowledged as " + Text.safe(acked.get(file)) : " not acknowledged"));
            }
        });
        return Optional.of(problems.isEmpty() ? Check.pass(FILE_NAME, "partner acknowledged the manifest and "
                + chunkSha256.size() + " chunk(s)") : Check.fail(FILE_NAME, String.join("; ", problems)));
    }
}
