package dev.exportdesk.partner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.exportdesk.fs.SafeFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The {@code corrects} link of a correction chunk (docs/delivery-format.md): well formed, pointing
 * back to an earlier run of the same contract, and — when that run's folder sits beside this one —
 * to a chunk its manifest really lists under that run id.
 */
final class CorrectionLink {
    static final String MODE = "correction";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern CHUNK = Pattern.compile("chunk-[0-9]{6}\\.[a-z.]+");

    private CorrectionLink() {
    }

    /** The item for one chunk entry, or null for an ordinary chunk of an ordinary run (nothing to check). */
    static Item check(Path runDir, String run, JsonNode manifest, JsonNode chunk) {
        String file = chunk.path("file").asText();
        String subject = file + " (corrects)";
        JsonNode x = chunk.get("corrects");
        boolean correctionRun = MODE.equals(manifest.path("mode").asText());
        if (x == null || x.isNull()) {
            return correctionRun ? Item.fail(run, subject, "a chunk of a correction run must name the chunk it "
                    + "corrects (field \"corrects\" missing)") : null;
        }
        if (!correctionRun) {
            return Item.fail(run, subject, "field \"corrects\" is only allowed in a correction run (mode is \""
                    + manifest.path("mode").asText() + "\")");
        }
        String runId = x.path("run_id").asText("");
        String target = x.path("chunk").asText("");
        long sequence = manifest.path("sequence").asLong();
        if (!UUID.matcher(runId).matches()) {
            return Item.fail(run, subject, "corrects.run_id " + x.get("run_id") + " is not a run id");
        }
        if (!x.path("sequence").isIntegralNumber() || x.path("sequence").asLong() < 1
                || x.path("sequence").asLong() >= sequence) {
            return Item.fail(run, subject, "corrects.sequence " + x.get("sequence") + " is not an earlier run than "
                    + sequence);
        }
        if (!CHUNK.matcher(target).matches()) {
            return Item.fail(run, subject, "corrects.chunk " + x.get("chunk") + " is not a chunk file name");
        }
        long corrected = x.path("sequence").asLong();
        String where = "run " + corrected + " " + target;
        Path earlier = runDir.toAbsolutePath().getParent().resolve(String.format("run-%06d", corrected)).resolve("manifest.json");
        try {
            if (SafeFiles.lstat(earlier.getParent()) == null || SafeFiles.lstat(earlier) == null) {
                return Item.pass(run, subject, where + " (that run's folder is not here; link checked for form only)");
            }
            if (!SafeFiles.lstat(earlier.getParent()).isDirectory()) {
                return Item.fail(run, subject, "run " + corrected + "'s folder is a link or not a folder; not followed");
            }
            JsonNode m = MAPPER.readTree(SafeFiles.readRegular(earlier, PartnerVerifier.MAX_MANIFEST_BYTES));
            if (!runId.equals(m.path("run_id").asText())) {
                return Item.fail(run, subject, "corrects.run_id " + runId + " but run " + corrected + "'s manifest "
                        + "has run_id " + m.path("run_id").asText());
            }
            if (!m.path("contract").asText().equals(manifest.path("contract").asText())) {
                return Item.fail(run, subject, "run " + corrected + " belongs to contract "
                        + m.path("contract").asText());
            }
            for (JsonNode c : m.path("chunks")) {
                if (target.equals(c.path("file").asText())) {
                    return Item.pass(run, subject, where + ", listed in its manifest");
                }
            }
            return Item.fail(run, subject, "run " + corrected + "'s manifest lists no chunk " + target);
        } catch (IOException e) {
            return Item.fail(run, subject, "cannot read run " + corrected + "'s manifest: " + e.getMessage());
        }
    }
}
