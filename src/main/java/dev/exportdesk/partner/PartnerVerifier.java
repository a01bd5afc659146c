package dev.exportdesk.partner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.luben.zstd.ZstdInputStream;
import dev.exportdesk.fs.SafeFiles;
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
import java.nio.file.attribute.BasicFileAttributes;
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
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The partner's side (docs/partner-guide.md): checks a received run folder — or every run of a
 * contract folder, in order — with no database and no access to the sender: the manifest,
 * SHA256SUMS, every chunk's hashes, size and row count, the manifest chain, the checkpoint's
 * Ed25519 signature against the published verifier key, each chunk's inclusion proof, and the
 * consistency of the new checkpoint with the last one this partner saw. A run that passes gets a
 * receipt, {@code manifest.json.ack}. Depends only on the JDK, Jackson, zstd-jni, the ledger and, for
 * OpenPGP-encrypted deliveries, the pgp package over Bouncy Castle ({@link OpenPgpCheck}).
 *
 * <p>Everything in the delivery is hostile input: only regular files are opened (a link or a FIFO is
 * named and refused, never read), every read is bounded, a file the run does not account for fails
 * it, and the manifest must name the contract and sequence of the folder it sits in.
 */
public final class PartnerVerifier {
    public static final String RECEIPT_FORMAT = "exportdesk-ack/1";
    public static final String RECEIPT_FILE = "manifest.json.ack";
    static final long MAX_MANIFEST_BYTES = 64L << 20;
    static final long MAX_SUMS_BYTES = 16L << 20;
    static final long MAX_CHECKPOINT_BYTES = 64L << 10;
    static final long MAX_PROOFS_BYTES = 64L << 20;
    private static final Pattern RUN_FOLDER = Pattern.compile("run-([0-9]{6,})");
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,254}");
    private static final String SENDER_TEMP_SUFFIX = ".exportdesk-tmp";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final HexFormat HEX = HexFormat.of();

    private final String verifierKey;
    private final boolean writeReceipts;
    private final OpenPgpCheck pgp;

    /** {@code verifierKey}: the sender's published key, {@code name+id+base64}. */
    public PartnerVerifier(String verifierKey, boolean writeReceipts) {
        this(verifierKey, writeReceipts, OpenPgpCheck.NONE);
    }

    /** {@code pgp}: the partner's keys for encrypted deliveries ({@link OpenPgpCheck#NONE}: none given). */
    public PartnerVerifier(String verifierKey, boolean writeReceipts, OpenPgpCheck pgp) {
        this.verifierKey = verifierKey;
        this.writeReceipts = writeReceipts;
        this.pgp = pgp;
    }

    public record Result(List<Item> items) {
        public boolean ok() {
            return !items.isEmpty() && items.stream().allMatch(Item::ok);
        }
    }

    /**
     * Verifies {@code dir} (a run folder with manifest.json, or a contract folder of run-* folders).
     * {@code stateDir} is the partner's own directory of what was verified before; null keeps nothing.
     */
    public Result verify(Path dir, Path stateDir) throws IOException {
        VerifierState state = VerifierState.open(stateDir);
        List<Item> items = new ArrayList<>();
        List<Path> runs = runFolders(dir, items);
        if (runs.isEmpty() && items.isEmpty()) {
            items.add(Item.fail(dir.toString(), "manifest.json", "no manifest.json here, in run-* folders or in "
                    + "folders below (up to " + TemplatedRuns.MAX_DEPTH + " deep)"));
        }
        for (Path run : runs) {
            items.addAll(verifyRun(run, state));
        }
        return new Result(items);
    }

    /**
     * The run folders to check, in sequence order: run-* folders, or else the runs of a path template
     * below {@code dir} ({@link TemplatedRuns}); an entry that is not a real folder fails, named.
     */
    private static List<Path> runFolders(Path dir, List<Item> items) throws IOException {
        if (SafeFiles.lstat(dir.resolve(RunIdentity.MANIFEST)) != null) {
            return List.of(dir);
        }
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.sorted().toList()) {
                String name = p.getFileName().toString();
                if (!RUN_FOLDER.matcher(name).matches()) {
                    continue;
                }
                BasicFileAttributes a = SafeFiles.lstat(p);
                if (a != null && !a.isDirectory()) {
                    items.add(Item.fail(name, name, "is a " + SafeFiles.kind(a) + ", not a run folder; not followed"));
                } else if (a != null && SafeFiles.lstat(p.resolve(RunIdentity.MANIFEST)) != null) {
                    out.add(p);
                }
            }
        }
        return out.isEmpty() && items.isEmpty() ? TemplatedRuns.find(dir, items) : out;
    }

    private List<Item> verifyRun(Path dir, VerifierState state) throws IOException {
        String run = dir.getFileName().toString();
        List<Item> items = new ArrayList<>();
        byte[] manifestBytes;
        JsonNode m;
        try {
            manifestBytes = SafeFiles.readRegular(dir.resolve(RunIdentity.MANIFEST), MAX_MANIFEST_BYTES);
            m = MAPPER.readTree(manifestBytes);
            if (m == null || !"exportdesk-manifest/1".equals(m.path("format").asText())) {
                throw new IOException("not an exportdesk-manifest/1");
            }
        } catch (IOException e) {
            items.add(Item.fail(run, RunIdentity.MANIFEST, "unreadable: " + e.getMessage()));
            items.add(Item.fail(run, RECEIPT_FILE, "not written: the run did not verify"));
            return items;
        }
        String manifestSha = HEX.formatHex(sha256().digest(manifestBytes));
        String contract = m.path("contract").asText();
        long sequence = m.path("sequence").asLong();
        items.add(Item.pass(run, RunIdentity.MANIFEST, "run " + sequence + " of " + contract + ", sha256 " + manifestSha));
        Item identity = RunIdentity.identity(dir, run, m);
        items.add(identity);
        if (!identity.ok()) {
            items.add(Item.fail(run, RECEIPT_FILE, "not written: the run did not verify"));
            return items;
        }
        VerifierState.Seen before = state.run(contract, sequence);
        VerifierState.Seen seen = before != null ? before : state.latest(contract);
        items.add(RunIdentity.chain(run, m, manifestSha, before, seen));
        items.add(RunFolder.check(dir, run, m));

        // chunks and SHA256SUMS
        Map<String, String> sums = Sums.read(dir, run, items);
        List<ObjectNode> receiptChunks = new ArrayList<>();
        String compression = m.path("compression").asText("none");
        RecordCount records;
        try {
            records = RecordCount.of(m);
        } catch (IOException e) {
            items.add(Item.fail(run, RunIdentity.MANIFEST, e.getMessage()));
            items.add(Item.fail(run, RECEIPT_FILE, "not written: the run did not verify"));
            return items;
        }
        boolean encrypted = OpenPgpCheck.encrypted(m);
        for (JsonNode c : m.path("chunks")) {
            String file = c.path("file").asText();
            Item item = verifyChunk(dir, run, c, compression, records, sums, encrypted ? pgp : null);
            items.add(item);
            Item link = CorrectionLink.check(dir, run, m, c);
            if (link != null) {
                items.add(link);
            }
            Item truncate = TruncateMark.check(run, m, c);
            if (truncate != null) {
                items.add(truncate);
            }
            ObjectNode rc = MAPPER.createObjectNode();
            rc.put("file", file);
            rc.put("sha256", c.path("sha256").asText());
            rc.put("rows", c.path("rows").asLong());
            receiptChunks.add(rc);
        }
        if (sums != null) {
            items.add(Sums.extras(dir, run, m, sums));
        }
        Item signature = pgp.manifestSignature(dir, run, manifestBytes);
        if (signature != null) {
            items.add(signature);
        }

        // ledger: checkpoint signature, inclusion proofs, consistency with the last checkpoint seen
        Checkpoint checkpoint = verifyLedger(dir, run, m, manifestSha, before, seen, items);

        boolean ok = items.stream().allMatch(Item::ok);
        if (ok && checkpoint != null && before == null) {
            state.record(contract, new VerifierState.Seen(checkpoint.origin(), checkpoint.size(), checkpoint.root(),
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

    /**
     * {@code pgp} non-null: the chunk is an OpenPGP message; with the partner's key it is decrypted
     * and its content checked, without, only its ciphertext is (and the item says so).
     */
    private static Item verifyChunk(Path dir, String run, JsonNode c, String compression, RecordCount records,
                                    Map<String, String> sums, OpenPgpCheck pgp) {
        String file = c.path("file").asText();
        if (!PLAIN_NAME.matcher(file).matches()) {
            return Item.fail(run, file, "not a plain file name; not read");
        }
        Path path = dir.resolve(file);
        List<String> problems = new ArrayList<>();
        try {
            BasicFileAttributes a = SafeFiles.lstat(path);
            if (a == null) {
                return Item.fail(run, file, "missing");
            }
            if (!a.isRegularFile()) {
                return Item.fail(run, file, "is a " + SafeFiles.kind(a) + ", not a regular file; not read");
            }
            long expected = c.path("bytes").asLong();
            if (a.size() != expected) {
                return Item.fail(run, file, "size " + a.size() + " bytes, manifest says " + expected);
            }
            MessageDigest fileMd = sha256();
            MessageDigest contentMd = sha256();
            long rows = -1;
            Path plain = null;
            try {
                try (InputStream raw = new DigestInputStream(SafeFiles.openRegular(path, expected), fileMd)) {
                    if (records.parquet() && pgp == null) {
                        raw.transferTo(java.io.OutputStream.nullOutputStream()); // its footer is read below
                    } else if (pgp == null) {
                        try (InputStream content = new DigestInputStream(decompress(raw, compression), contentMd)) {
                            rows = records.count(content);
                            raw.transferTo(java.io.OutputStream.nullOutputStream());
                        }
                    } else {
                        if (pgp.decryptionKeys() != null) {
                            try {
                                plain = pgp.decrypt(raw, expected);
                            } catch (dev.exportdesk.pgp.PgpException e) {
                                problems.add("does not decrypt with the given key: " + e.getMessage());
                            }
                        }
                        raw.transferTo(java.io.OutputStream.nullOutputStream());
                    }
                }
                Path parquet = records.parquet() ? (pgp == null ? path : plain) : null;
                if (parquet != null) {
                    try {
                        rows = ParquetFooter.rows(parquet, pgp == null ? expected : Files.size(parquet));
                    } catch (IOException e) { // the hash check below still names the file's SHA-256
                        problems.add("not a readable Parquet file: " + e.getMessage());
                    }
                } else if (plain != null && !records.parquet()) {
                    try (InputStream content = new DigestInputStream(decompress(Files.newInputStream(plain),
                            compression), contentMd)) {
                        rows = records.count(content);
                    }
                }
            } finally {
                if (plain != null) {
                    Files.deleteIfExists(plain);
                }
            }
            String sha = HEX.formatHex(fileMd.digest());
            if (!sha.equals(c.path("sha256").asText())) {
                problems.add("sha256 " + sha + ", manifest says " + c.path("sha256").asText());
            }
            if (rows >= 0) {
                String contentSha = HEX.formatHex(contentMd.digest());
                if (!records.parquet() && !contentSha.equals(c.path("content_sha256").asText())) {
                    problems.add("content sha256 " + contentSha + ", manifest says "
                            + c.path("content_sha256").asText());
                }
                if (rows != c.path("rows").asLong()) {
                    problems.add(rows + " rows, manifest says " + c.path("rows").asLong());
                }
            }
            if (sums != null && !sha.equals(sums.get(file))) {
                problems.add("SHA256SUMS lists " + sums.get(file));
            }
            String how = records.parquet() ? (rows >= 0 ? (pgp != null ? ", decrypted" : "")
                    + ", Parquet footer's row count matches (its content_sha256, of the rows' canonical JSON Lines, is"
                    + " not checked here)" : " (encrypted Parquet: ciphertext only; give --decrypt-key to count its rows)")
                    : pgp == null ? "" : rows >= 0 ? ", decrypted" + (pgp.sender() != null ? " and signed by "
                    + dev.exportdesk.pgp.PgpKeys.fingerprint(pgp.sender()) : "") + ", content sha256 matches"
                    : " (encrypted: ciphertext only; give --decrypt-key to check the content)";
            return problems.isEmpty() ? Item.pass(run, file, c.path("rows").asLong() + " rows, sha256 " + sha + how)
                    : Item.fail(run, file, String.join("; ", problems));
        } catch (IOException | RuntimeException e) {
            return Item.fail(run, file, "unreadable or truncated: " + e.getMessage());
        }
    }

    private Checkpoint verifyLedger(Path dir, String run, JsonNode m, String manifestSha, VerifierState.Seen before,
                                    VerifierState.Seen seen, List<Item> items)
            throws IOException {
        Path cpFile = dir.resolve(LedgerProofs.CHECKPOINT_FILE_NAME);
        Path proofsFile = dir.resolve(LedgerProofs.FILE_NAME);
        Checkpoint cp;
        LedgerProofs proofs;
        byte[] cpBytes;
        byte[] proofsBytes;
        try {
            cpBytes = SafeFiles.readRegular(cpFile, MAX_CHECKPOINT_BYTES);
            proofsBytes = SafeFiles.readRegular(proofsFile, MAX_PROOFS_BYTES);
        } catch (IOException e) {
            items.add(Item.fail(run, LedgerProofs.CHECKPOINT_FILE_NAME, "checkpoint or ledger proofs unreadable: "
                    + e.getMessage()));
            return null;
        }
        try {
            String text = SignedNote.open(new String(cpBytes, StandardCharsets.UTF_8), verifierKey);
            cp = Checkpoint.parse(text);
            items.add(Item.pass(run, LedgerProofs.CHECKPOINT_FILE_NAME, "signed by " + cp.origin() + ", tree size "
                    + cp.size() + ", root " + cp.rootHex()));
        } catch (LedgerException e) {
            items.add(Item.fail(run, LedgerProofs.CHECKPOINT_FILE_NAME, e.getMessage()));
            return null;
        }
        try {
            proofs = LedgerProofs.read(proofsBytes);
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
        items.add(before != null ? sameCheckpoint(run, cp, before) : consistency(run, cp, proofs.previous(), seen));
        return cp;
    }

    /** A run verified before must carry the very checkpoint it carried then. */
    private static Item sameCheckpoint(String run, Checkpoint cp, VerifierState.Seen before) {
        boolean same = before.origin().equals(cp.origin()) && before.treeSize() == cp.size()
                && Arrays.equals(before.root(), cp.root());
        return same ? Item.pass(run, "ledger consistency", "the checkpoint this run carried when first verified")
                : Item.fail(run, "ledger consistency", "the checkpoint differs from the one this run carried when "
                + "verified before (tree size " + before.treeSize() + "): the run was changed");
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
        // the sender can write this folder: never through a link it planted at the receipt's or a temporary's name
        SafeFiles.replaceAtomically(dir.resolve(RECEIPT_FILE), MAPPER.writeValueAsBytes(r));
    }

    private static InputStream decompress(InputStream in, String compression) throws IOException {
        return switch (compression) {
            case "none" -> in;
            case "gzip" -> new GZIPInputStream(in, 1 << 16);
            case "zstd" -> new ZstdInputStream(in);
            default -> throw new IOException("unknown compression " + compression);
        };
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
