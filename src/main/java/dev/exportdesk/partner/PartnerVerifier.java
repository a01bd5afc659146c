package dev.exportdesk.partner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.luben.zstd.ZstdInputStream;
import dev.exportdesk.ledger.Checkpoint;
import dev.exportdesk.ledger.LedgerException;
import dev.exportdesk.ledger.LedgerLeaf;
import dev.exportdesk.ledger.LedgerProofs;
import dev.exportdesk.ledger.MerkleVerifier;
import dev.exportdesk.ledger.SignedNote;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The partner's side (docs/partner-guide.md): checks a received run folder — or every run of a
 * contract folder, in order — with no database and no access to the sender: the manifest,
 * SHA256SUMS, every chunk's hashes, size and row count, the manifest chain, the checkpoint's
 * Ed25519 signature against the published verifier key, each chunk's inclusion proof, and the
 * consistency of the new checkpoint with the last one this partner saw. A run that passes gets a
 * receipt, {@code manifest.json.ack}. Depends only on the JDK, Jackson, zstd-jni and the ledger.
 */
public final class PartnerVerifier {
    public static final String RECEIPT_FORMAT = "exportdesk-ack/1";
    public static final String RECEIPT_FILE = "manifest.json.ack";
    public static final String STATE_FILE = ".exportdesk-verifier.json";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final HexFormat HEX = HexFormat.of();

    private final String verifierKey;
    private final boolean writeReceipts;

    /** {@code verifierKey}: the sender's published key, {@code name+id+base64}. */
    public PartnerVerifier(String verifierKey, boolean writeReceipts) {
        this.verifierKey = verifierKey;
        this.writeReceipts = writeReceipts;
    }

    public record Result(List<Item> items) {
        public boolean ok() {
            return !items.isEmpty() && items.stream().allMatch(Item::ok);
        }
    }

    /**
     * Verifies {@code dir} (a run folder with manifest.json, or a contract folder of run-* folders).
     * {@code stateFile} remembers the last checkpoint seen; null keeps nothing.
     */
    public Result verify(Path dir, Path stateFile) throws IOException {
        List<Path> runs = runFolders(dir);
        VerifierState state = VerifierState.load(stateFile);
        List<Item> items = new ArrayList<>();
        if (runs.isEmpty()) {
            items.add(Item.fail(dir.toString(), "manifest.json", "no manifest.json here or in run-* folders"));
        }
        for (Path run : runs) {
            items.addAll(verifyRun(run, state));
        }
        state.save();
        return new Result(items);
    }

    private static List<Path> runFolders(Path dir) throws IOException {
        if (Files.exists(dir.resolve("manifest.json"))) {
            return List.of(dir);
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("run-") && Files.exists(p.resolve("manifest.json")))
                    .sorted().toList();
        }
    }

    private List<Item> verifyRun(Path dir, VerifierState state) throws IOException {
        String run = dir.getFileName().toString();
        List<Item> items = new ArrayList<>();
        byte[] manifestBytes = Files.readAllBytes(dir.resolve("manifest.json"));
        String manifestSha = HEX.formatHex(sha256().digest(manifestBytes));
        JsonNode m;
        try {
            m = MAPPER.readTree(manifestBytes);
            if (m == null || !"exportdesk-manifest/1".equals(m.path("format").asText())) {
                throw new IOException("not an exportdesk-manifest/1");
            }
        } catch (IOException e) {
            items.add(Item.fail(run, "manifest.json", "unreadable: " + e.getMessage()));
            return items;
        }
        String contract = m.path("contract").asText();
        long sequence = m.path("sequence").asLong();
        items.add(Item.pass(run, "manifest.json", "run " + sequence + " of " + contract + ", sha256 " + manifestSha));
        VerifierState.Seen seen = state.get(contract);

        // manifest chain
        String previous = m.path("previous_manifest_sha256").isNull() ? null
                : m.path("previous_manifest_sha256").asText();
        if (seen == null) {
            items.add(Item.pass(run, "manifest chain", previous == null ? "first run of the contract"
                    : "first run seen by this verifier; previous manifest " + previous));
        } else if (seen.sequence() + 1 == sequence && seen.manifestSha256().equals(previous)) {
            items.add(Item.pass(run, "manifest chain", "follows run " + seen.sequence()));
        } else if (seen.sequence() >= sequence) {
            items.add(Item.fail(run, "manifest chain", "run " + sequence + " is not after the last run seen ("
                    + seen.sequence() + ")"));
        } else {
            items.add(Item.fail(run, "manifest chain", "previous_manifest_sha256 " + previous + " does not match run "
                    + seen.sequence() + "'s manifest " + seen.manifestSha256()
                    + (seen.sequence() + 1 != sequence ? " (runs " + (seen.sequence() + 1) + ".." + (sequence - 1)
                    + " not verified; verify them first)" : "")));
        }

        // chunks and SHA256SUMS
        Map<String, String> sums = readSums(dir.resolve("SHA256SUMS"), run, items);
        List<ObjectNode> receiptChunks = new ArrayList<>();
        String compression = m.path("compression").asText("none");
        boolean csv = "csv".equals(m.path("file_format").asText());
        for (JsonNode c : m.path("chunks")) {
            String file = c.path("file").asText();
            Item item = verifyChunk(dir, run, c, compression, csv, sums);
            items.add(item);
            Item link = CorrectionLink.check(dir, run, m, c);
            if (link != null) {
                items.add(link);
            }
            ObjectNode rc = MAPPER.createObjectNode();
            rc.put("file", file);
            rc.put("sha256", item.ok() ? c.path("sha256").asText() : shaOf(dir.resolve(file)));
            rc.put("rows", c.path("rows").asLong());
            receiptChunks.add(rc);
        }
        if (sums != null && sums.size() != m.path("chunks").size()) {
            items.add(Item.fail(run, "SHA256SUMS", sums.size() + " entries for " + m.path("chunks").size() + " chunks"));
        } else if (sums != null) {
            items.add(Item.pass(run, "SHA256SUMS", "lists every chunk with its manifest hash"));
        }

        // ledger: checkpoint signature, inclusion proofs, consistency with the last checkpoint seen
        Checkpoint checkpoint = verifyLedger(dir, run, m, manifestSha, seen, items);

        boolean ok = items.stream().allMatch(Item::ok);
        if (ok && checkpoint != null) {
            state.put(contract, new VerifierState.Seen(checkpoint.origin(), checkpoint.size(), checkpoint.root(),
                    sequence, manifestSha));
        }
        if (ok && writeReceipts) {
            writeReceipt(dir, m, manifestSha, receiptChunks, checkpoint);
            items.add(Item.pass(run, RECEIPT_FILE, "receipt written"));
        } else if (!ok) {
            items.add(Item.fail(run, RECEIPT_FILE, "not written: the run did not verify"));
        }
        return items;
    }

    private static Map<String, String> readSums(Path file, String run, List<Item> items) throws IOException {
        if (!Files.exists(file)) {
            items.add(Item.fail(run, "SHA256SUMS", "missing"));
            return null;
        }
        Map<String, String> out = new HashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            int sp = line.indexOf("  ");
            if (sp != 64) {
                items.add(Item.fail(run, "SHA256SUMS", "malformed line: " + line));
                return null;
            }
            out.put(line.substring(sp + 2).replaceFirst("^\\*", ""), line.substring(0, 64));
        }
        return out;
    }

    private static Item verifyChunk(Path dir, String run, JsonNode c, String compression, boolean csv,
                                    Map<String, String> sums) {
        String file = c.path("file").asText();
        Path path = dir.resolve(file).normalize();
        if (!path.startsWith(dir) || !Files.isRegularFile(path)) {
            return Item.fail(run, file, "missing");
        }
        List<String> problems = new ArrayList<>();
        try {
            MessageDigest fileMd = sha256();
            MessageDigest contentMd = sha256();
            long rows;
            try (InputStream raw = new DigestInputStream(Files.newInputStream(path), fileMd);
                 InputStream content = new DigestInputStream(decompress(raw, compression), contentMd)) {
                rows = countRecords(content, csv);
                raw.transferTo(java.io.OutputStream.nullOutputStream());
            }
            String sha = HEX.formatHex(fileMd.digest());
            long size = Files.size(path);
            if (size != c.path("bytes").asLong()) {
                problems.add("size " + size + " bytes, manifest says " + c.path("bytes").asLong());
            }
            if (!sha.equals(c.path("sha256").asText())) {
                problems.add("sha256 " + sha + ", manifest says " + c.path("sha256").asText());
            }
            String contentSha = HEX.formatHex(contentMd.digest());
            if (!contentSha.equals(c.path("content_sha256").asText())) {
                problems.add("content sha256 " + contentSha + ", manifest says " + c.path("content_sha256").asText());
            }
            if (rows != c.path("rows").asLong()) {
                problems.add(rows + " rows, manifest says " + c.path("rows").asLong());
            }
            if (sums != null && !sha.equals(sums.get(file))) {
                problems.add("SHA256SUMS lists " + sums.get(file));
            }
            return problems.isEmpty() ? Item.pass(run, file, rows + " rows, sha256 " + sha)
                    : Item.fail(run, file, String.join("; ", problems));
        } catch (IOException | RuntimeException e) {
            return Item.fail(run, file, "unreadable or truncated: " + e.getMessage());
        }
    }

    private Checkpoint verifyLedger(Path dir, String run, JsonNode m, String manifestSha, VerifierState.Seen seen,
                                    List<Item> items)
            throws IOException {
        Path cpFile = dir.resolve(LedgerProofs.CHECKPOINT_FILE_NAME);
        Path proofsFile = dir.resolve(LedgerProofs.FILE_NAME);
        if (!Files.exists(cpFile) || !Files.exists(proofsFile)) {
            items.add(Item.fail(run, LedgerProofs.CHECKPOINT_FILE_NAME, "checkpoint or ledger proofs missing"));
            return null;
        }
        Checkpoint cp;
        LedgerProofs proofs;
        try {
            String text = SignedNote.open(Files.readString(cpFile, StandardCharsets.UTF_8), verifierKey);
            cp = Checkpoint.parse(text);
            items.add(Item.pass(run, LedgerProofs.CHECKPOINT_FILE_NAME, "signed by " + cp.origin() + ", tree size "
                    + cp.size() + ", root " + cp.rootHex()));
        } catch (LedgerException e) {
            items.add(Item.fail(run, LedgerProofs.CHECKPOINT_FILE_NAME, e.getMessage()));
            return null;
        }
        try {
            proofs = LedgerProofs.read(Files.readAllBytes(proofsFile));
        } catch (LedgerException e) {
            items.add(Item.fail(run, LedgerProofs.FILE_NAME, e.getMessage()));
            return null;
        }
        if (proofs.treeSize() != cp.size() || !Arrays.equals(proofs.root(), cp.root())
                || !proofs.origin().equals(cp.origin())) {
            items.add(Item.fail(run, LedgerProofs.FILE_NAME, "proofs are for another checkpoint than checkpoint.txt"));
            return null;
        }
        Map<String, LedgerProofs.LeafProof> byFile = new HashMap<>();
        proofs.leaves().forEach(l -> byFile.put(l.file(), l));
        for (JsonNode c : m.path("chunks")) {
            String file = c.path("file").asText();
            LedgerLeaf leaf = new LedgerLeaf(m.path("contract").asText(), m.path("sequence").asLong(),
                    m.path("run_id").asText(), file, c.path("rows").asLong(), c.path("sha256").asText(),
                    c.path("content_sha256").asText());
            LedgerProofs.LeafProof p = byFile.get(file);
            String subject = file + " (ledger)";
            if (p == null) {
                items.add(Item.fail(run, subject, "no inclusion proof"));
            } else if (!MerkleVerifier.verifyInclusion(p.leafIndex(), cp.size(), leaf.hash(), p.inclusion(), cp.root())) {
                items.add(Item.fail(run, subject, "the manifest entry is not leaf " + p.leafIndex()
                        + " of the signed tree (inclusion proof fails)"));
            } else {
                items.add(Item.pass(run, subject, "leaf " + p.leafIndex() + " of " + cp.size()));
            }
        }
        LedgerLeaf manifestLeaf = new LedgerLeaf(m.path("contract").asText(), m.path("sequence").asLong(),
                m.path("run_id").asText(), "manifest.json", m.path("rows").asLong(), manifestSha, manifestSha);
        LedgerProofs.LeafProof mp = byFile.get("manifest.json");
        if (mp == null || !MerkleVerifier.verifyInclusion(mp.leafIndex(), cp.size(), manifestLeaf.hash(), mp.inclusion(),
                cp.root())) {
            items.add(Item.fail(run, "manifest.json (ledger)", "the manifest's SHA-256 " + manifestSha
                    + " is not in the signed tree: the manifest was changed after it was recorded"));
        } else {
            items.add(Item.pass(run, "manifest.json (ledger)", "leaf " + mp.leafIndex() + " of " + cp.size()));
        }
        if (byFile.size() != m.path("chunks").size() + 1) {
            items.add(Item.fail(run, LedgerProofs.FILE_NAME, byFile.size() + " leaf proofs for "
                    + m.path("chunks").size() + " chunks and the manifest"));
        }
        items.add(consistency(run, cp, proofs.previous(), seen));
        return cp;
    }

    private static Item consistency(String run, Checkpoint cp, LedgerProofs.Previous previous, VerifierState.Seen seen) {
        String subject = "ledger consistency";
        if (seen == null) {
            return Item.pass(run, subject, "first checkpoint seen for this contract (tree size " + cp.size() + ")");
        }
        if (!seen.origin().equals(cp.origin())) {
            return Item.fail(run, subject, "checkpoint origin " + cp.origin() + " differs from the one seen before, "
                    + seen.origin());
        }
        if (seen.treeSize() == cp.size()) {
            return Arrays.equals(seen.root(), cp.root()) ? Item.pass(run, subject, "same tree as last seen")
                    : Item.fail(run, subject, "same tree size as last seen but a different root: history rewritten");
        }
        if (previous == null || previous.treeSize() != seen.treeSize() || !Arrays.equals(previous.root(), seen.root())) {
            return Item.fail(run, subject, "no consistency proof from the last checkpoint seen (tree size "
                    + seen.treeSize() + ")");
        }
        return MerkleVerifier.verifyConsistency(seen.treeSize(), cp.size(), previous.consistency(), seen.root(),
                cp.root()) ? Item.pass(run, subject, "tree " + seen.treeSize() + " → " + cp.size() + " is append-only")
                : Item.fail(run, subject, "consistency proof " + seen.treeSize() + " → " + cp.size()
                + " fails: the ledger was rewritten");
    }

    private static void writeReceipt(Path dir, JsonNode m, String manifestSha, List<ObjectNode> chunks,
                                     Checkpoint cp) throws IOException {
        ObjectNode r = MAPPER.createObjectNode();
        r.put("format", RECEIPT_FORMAT);
        r.put("contract", m.path("contract").asText());
        r.put("run_id", m.path("run_id").asText());
        r.put("sequence", m.path("sequence").asLong());
        r.put("manifest_sha256", manifestSha);
        ArrayNode arr = r.putArray("chunks");
        chunks.forEach(arr::add);
        if (cp != null) {
            ObjectNode n = r.putObject("checkpoint");
            n.put("origin", cp.origin());
            n.put("tree_size", cp.size());
            n.put("root", java.util.Base64.getEncoder().encodeToString(cp.root()));
        }
        r.put("verified_at", Instant.now().toString());
        Path tmp = dir.resolve(RECEIPT_FILE + ".tmp");
        Files.write(tmp, MAPPER.writeValueAsBytes(r));
        Files.move(tmp, dir.resolve(RECEIPT_FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String shaOf(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = sha256();
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HEX.formatHex(md.digest());
        } catch (IOException e) {
            return "0".repeat(64);
        }
    }

    private static InputStream decompress(InputStream in, String compression) throws IOException {
        return switch (compression) {
            case "none" -> in;
            case "gzip" -> new GZIPInputStream(in, 1 << 16);
            case "zstd" -> new ZstdInputStream(in);
            default -> throw new IOException("unknown compression " + compression);
        };
    }

    /** JSON Lines: lines; CSV: RFC 4180 records outside quotes, minus the header. */
    static long countRecords(InputStream in, boolean csv) throws IOException {
        byte[] buf = new byte[1 << 16];
        long lines = 0;
        boolean quoted = false;
        for (int n; (n = in.read(buf)) > 0; ) {
            for (int i = 0; i < n; i++) {
                byte b = buf[i];
                if (csv && b == '"') {
                    quoted = !quoted;
                } else if (b == '\n' && !quoted) {
                    lines++;
                }
            }
        }
        return csv ? Math.max(0, lines - 1) : lines;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
