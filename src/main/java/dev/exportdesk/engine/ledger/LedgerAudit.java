package dev.exportdesk.engine.ledger;

import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.ledger.Checkpoint;
import dev.exportdesk.ledger.LedgerException;
import dev.exportdesk.ledger.LedgerFile;
import dev.exportdesk.ledger.LedgerLeaf;
import dev.exportdesk.ledger.Merkle;
import dev.exportdesk.ledger.PrunedLeaf;
import dev.exportdesk.ledger.SignedNote;
import dev.exportdesk.store.ChunkRecord;
import dev.exportdesk.store.LedgerRepository.CheckpointRow;
import dev.exportdesk.store.LedgerRepository.Entry;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.verify.Check;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Audits the workspace ledger against itself: every state-store leaf hashes to its recorded hash
 * and indexes are contiguous; the fsynced file holds the same entries in the same order; every
 * stored checkpoint's root is recomputed from the leaves and its signature verifies with the
 * workspace key; every leaf still describes its chunk as the state store records it. A changed
 * hash, a reordering or a dropped entry fails at least one of these, named.
 */
public final class LedgerAudit {
    private static final HexFormat HEX = HexFormat.of();
    private final EngineContext ctx;
    private final LedgerService ledger;

    public LedgerAudit(EngineContext ctx) {
        this.ctx = ctx;
        this.ledger = new LedgerService(ctx);
    }

    public String verifierKey() {
        return ledger.keys().verifierKey();
    }

    /** "SHA256:" and the hex SHA-256 of the workspace's raw Ed25519 public key (for the console). */
    public String publicKeyFingerprint() {
        try {
            return "SHA256:" + HEX.formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(dev.exportdesk.ledger.SignedNote.rawPublicKey(ledger.keys().publicKey())));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public List<Check> audit() {
        List<Check> checks = new ArrayList<>();
        List<Entry> entries = ctx.store().inTransaction(c -> ctx.store().ledger().all(c));
        List<CheckpointRow> checkpoints = ctx.store().inTransaction(c -> ctx.store().ledger().allCheckpoints(c));

        List<byte[]> hashes = new ArrayList<>();
        List<String> storeProblems = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            byte[] h = Merkle.leafHash(e.leaf().getBytes(StandardCharsets.UTF_8));
            if (e.leafIndex() != i) {
                storeProblems.add("entry " + i + " missing (next index is " + e.leafIndex() + ")");
            }
            if (!HEX.formatHex(h).equals(e.leafHash())) {
                storeProblems.add("entry " + e.leafIndex() + " (" + e.runId() + " chunk " + e.chunkSeq()
                        + "): leaf does not hash to its recorded hash");
            }
            hashes.add(h);
        }
        checks.add(storeProblems.isEmpty() ? Check.pass("ledger rows", entries.size() + " entries, contiguous")
                : Check.fail("ledger rows", String.join("; ", storeProblems)));

        LedgerFile file = ledger.file();
        try {
            List<LedgerFile.Line> lines = file.read();
            List<String> fileProblems = new ArrayList<>();
            for (int i = 0; i < Math.max(lines.size(), entries.size()); i++) {
                if (i >= lines.size()) {
                    fileProblems.add("entry " + i + " missing from the file");
                    break;
                }
                if (i >= entries.size()) {
                    fileProblems.add("entry " + i + " in the file is not in the state store");
                    break;
                }
                LedgerFile.Line l = lines.get(i);
                Entry e = entries.get(i);
                if (l.index() != e.leafIndex() || !l.leafHash().equals(e.leafHash()) || !l.leaf().equals(e.leaf())) {
                    fileProblems.add("entry " + i + " differs from the state store");
                } else if (!HEX.formatHex(Merkle.leafHash(l.leaf().getBytes(StandardCharsets.UTF_8)))
                        .equals(l.leafHash())) {
                    fileProblems.add("entry " + i + ": leaf does not hash to its recorded hash");
                }
            }
            checks.add(fileProblems.isEmpty() ? Check.pass("ledger file", file.path() + ": " + lines.size()
                    + " entries, same as the state store") : Check.fail("ledger file", file.path() + ": "
                    + String.join("; ", fileProblems)));
        } catch (LedgerException e) {
            checks.add(Check.fail("ledger file", e.getMessage()));
        }

        String vkey = ledger.keys().verifierKey();
        List<String> cpProblems = new ArrayList<>();
        for (CheckpointRow cp : checkpoints) {
            try {
                Checkpoint signed = Checkpoint.parse(SignedNote.open(cp.note(), vkey));
                if (signed.size() != cp.treeSize() || !signed.rootHex().equals(cp.rootHash())) {
                    cpProblems.add("run " + cp.runId() + ": stored size/root differ from the signed checkpoint");
                }
                if (cp.treeSize() > hashes.size()) {
                    cpProblems.add("run " + cp.runId() + ": checkpoint of size " + cp.treeSize() + " but only "
                            + hashes.size() + " entries");
                } else if (!HEX.formatHex(Merkle.root(hashes.subList(0, (int) cp.treeSize()))).equals(signed.rootHex())) {
                    cpProblems.add("run " + cp.runId() + ": the entries no longer produce the signed root of size "
                            + cp.treeSize());
                }
            } catch (LedgerException e) {
                cpProblems.add("run " + cp.runId() + ": " + e.getMessage());
            }
        }
        checks.add(cpProblems.isEmpty() ? Check.pass("ledger checkpoints", checkpoints.size()
                + " signed checkpoints match the entries") : Check.fail("ledger checkpoints",
                String.join("; ", cpProblems)));

        checks.add(chunksAgree(entries));
        return checks;
    }

    /**
     * A pruned file's leaf: its run is still in the store, and a chunk's or the manifest's hash is
     * the one the store recorded, so a prune cannot rewrite history under a new hash.
     */
    private static java.util.Optional<String> prunedAgrees(Entry e, RunRecord run, List<ChunkRecord> chunks) {
        if (run == null) {
            return java.util.Optional.of("entry " + e.leafIndex() + ": its pruned run is gone from the state store");
        }
        String file = LedgerService.fileOf(e.leaf());
        String expected = file.equals(LedgerService.MANIFEST_LEAF_FILE) ? run.manifestSha256()
                : chunks.stream().filter(ch -> ch.fileName().equals(file)).map(ChunkRecord::sha256).findFirst()
                .orElse(null);
        if (expected == null) {
            return java.util.Optional.empty(); // a run file whose hash only the leaf keeps (hashed at the destination)
        }
        PrunedLeaf leaf = new PrunedLeaf(run.contractName(), run.sequence(), run.id(), file, expected, "store");
        return leaf.text().equals(e.leaf()) ? java.util.Optional.empty()
                : java.util.Optional.of("entry " + e.leafIndex() + ": pruned " + file + " of run " + run.sequence()
                + " does not match its recorded hash");
    }

    /** Each leaf still states what the state store records for its chunk. */
    private Check chunksAgree(List<Entry> entries) {
        Map<String, List<ChunkRecord>> byRun = new HashMap<>();
        Map<String, RunRecord> runs = new HashMap<>();
        List<String> problems = new ArrayList<>();
        for (Entry e : entries) {
            List<ChunkRecord> chunks = byRun.computeIfAbsent(e.runId(), id ->
                    ctx.store().inTransaction(c -> ctx.store().chunks().forRun(c, id)));
            RunRecord run = runs.computeIfAbsent(e.runId(), id ->
                    ctx.store().inTransaction(c -> ctx.store().runs().find(c, id)).orElse(null));
            if (PrunedLeaf.isPruned(e.leaf())) {
                prunedAgrees(e, run, chunks).ifPresent(problems::add);
                continue;
            }
            if (e.chunkSeq() == 0 && run != null) {
                if (run.manifestSha256() != null && !LedgerService.manifestLeaf(run.contractName(), run,
                        run.rowCount(), run.manifestSha256()).text().equals(e.leaf())) {
                    problems.add("entry " + e.leafIndex() + ": the manifest of run " + run.sequence()
                            + " no longer matches its ledger leaf");
                }
                continue;
            }
            ChunkRecord ch = chunks.stream().filter(x -> x.seq() == e.chunkSeq()).findFirst().orElse(null);
            if (run == null || ch == null) {
                problems.add("entry " + e.leafIndex() + ": its chunk is gone from the state store");
                continue;
            }
            String expected = new LedgerLeaf(run.contractName(), run.sequence(), run.id(), ch.fileName(),
                    ch.rowCount(), ch.sha256(), ch.contentSha256()).text();
            if (!expected.equals(e.leaf())) {
                problems.add("entry " + e.leafIndex() + ": chunk " + ch.fileName() + " of run " + run.sequence()
                        + " no longer matches its ledger leaf");
            }
        }
        return problems.isEmpty() ? Check.pass("ledger vs chunks", "every leaf matches its chunk record"
                + " (or, for a pruned file, the hash recorded for it)")
                : Check.fail("ledger vs chunks", String.join("; ", problems));
    }
}
