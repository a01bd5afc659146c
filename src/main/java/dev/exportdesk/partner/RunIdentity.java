package dev.exportdesk.partner;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Which run a manifest claims to be, held against where it sits and what this partner verified
 * before: a validly signed run of another contract, or of another sequence, moved into this
 * folder fails here; so does a run verified before whose manifest has changed since.
 */
final class RunIdentity {
    static final String MANIFEST = "manifest.json";
    private static final Pattern RUN_DIRECTORY = Pattern.compile(
            "[A-Za-z0-9][A-Za-z0-9._-]{0,127}(/[A-Za-z0-9][A-Za-z0-9._-]{0,127}){0,7}");

    private RunIdentity() {
    }

    /**
     * The layout is {@code <contract>/run-<sequence, 6 digits>} (docs/delivery-format.md), or, under a
     * path template, the manifest's {@code run_directory}: then the folder's path must end with it.
     */
    static Item identity(Path runDir, String run, JsonNode m) {
        String subject = "run folder";
        String contract = m.path("contract").asText("");
        if (!VerifierState.CONTRACT_NAME.matcher(contract).matches()) {
            return Item.fail(run, subject, "the manifest's contract " + m.get("contract") + " is not a contract name");
        }
        if (!m.path("sequence").isIntegralNumber() || m.path("sequence").asLong() < 1) {
            return Item.fail(run, subject, "the manifest's sequence " + m.get("sequence") + " is not a run number");
        }
        long sequence = m.path("sequence").asLong();
        if (m.has("run_directory")) {
            return templated(runDir, run, m.get("run_directory"), contract, sequence);
        }
        String expectedRun = String.format("run-%06d", sequence);
        Path parent = runDir.toAbsolutePath().normalize().getParent();
        String folderContract = parent == null || parent.getFileName() == null ? "" : parent.getFileName().toString();
        if (!expectedRun.equals(run)) {
            return Item.fail(run, subject, "the manifest is run " + sequence + " of " + contract + ", but the folder is "
                    + run + ": a run moved from elsewhere");
        }
        if (!contract.equals(folderContract)) {
            return Item.fail(run, subject, "the manifest is of contract " + contract + ", but the folder is in "
                    + folderContract + ": a run of another contract");
        }
        return Item.pass(run, subject, contract + "/" + run + " as the manifest says");
    }

    private static Item templated(Path runDir, String run, JsonNode declared, String contract, long sequence) {
        String subject = "run folder";
        String text = declared.isTextual() ? declared.asText() : "";
        if (!RUN_DIRECTORY.matcher(text).matches() || text.length() > 512) {
            return Item.fail(run, subject, "the manifest's run_directory " + declared + " is not a relative folder");
        }
        Path here = runDir.toAbsolutePath().normalize();
        String[] segments = text.split("/");
        for (int i = segments.length - 1; i >= 0; i--) {
            if (here == null || here.getFileName() == null || !segments[i].equals(here.getFileName().toString())) {
                return Item.fail(run, subject, "the manifest is run " + sequence + " of " + contract + " in "
                        + text + ", but this folder is " + runDir.toAbsolutePath().normalize()
                        + ": a run moved from elsewhere");
            }
            here = here.getParent();
        }
        return Item.pass(run, subject, text + " as the manifest says");
    }

    /** {@code before}: this very run as verified earlier; {@code seen}: the latest run verified of the contract. */
    static Item chain(String run, JsonNode m, String manifestSha, VerifierState.Seen before, VerifierState.Seen seen) {
        String subject = "manifest chain";
        long sequence = m.path("sequence").asLong();
        if (before != null) {
            return before.manifestSha256().equals(manifestSha)
                    ? Item.pass(run, subject, "run " + sequence + " verified before, manifest unchanged")
                    : Item.fail(run, subject, "run " + sequence + " was verified before with manifest "
                    + before.manifestSha256() + "; this one is " + manifestSha + ": changed since");
        }
        String previous = m.path("previous_manifest_sha256").isNull() ? null
                : m.path("previous_manifest_sha256").asText();
        if (seen == null) {
            return Item.pass(run, subject, previous == null ? "first run of the contract"
                    : "first run seen by this verifier; previous manifest " + previous + " (run " + (sequence - 1)
                    + " is not checked here: not in this folder, e.g. removed by the sender's retention)");
        }
        if (seen.sequence() + 1 == sequence && seen.manifestSha256().equals(previous)) {
            return Item.pass(run, subject, "follows run " + seen.sequence());
        }
        if (seen.sequence() >= sequence) {
            return Item.fail(run, subject, "run " + sequence + " is not after the last run seen (" + seen.sequence()
                    + ") and was never verified here");
        }
        return Item.fail(run, subject, "previous_manifest_sha256 " + previous + " does not match run "
                + seen.sequence() + "'s manifest " + seen.manifestSha256()
                + (seen.sequence() + 1 != sequence ? " (runs " + (seen.sequence() + 1) + ".." + (sequence - 1)
                + " not verified; verify them first)" : ""));
    }
}
