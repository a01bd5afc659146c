package dev.exportdesk.engine.ledger;

import dev.exportdesk.contract.Contract;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.ledger.Checkpoint;
import dev.exportdesk.ledger.LedgerException;
import dev.exportdesk.ledger.LedgerFile;
import dev.exportdesk.ledger.LedgerKeys;
import dev.exportdesk.ledger.LedgerLeaf;
import dev.exportdesk.ledger.LedgerProofs;
import dev.exportdesk.ledger.Merkle;
import dev.exportdesk.ledger.PrunedLeaf;
import dev.exportdesk.store.ChunkRecord;
import dev.exportdesk.store.LedgerRepository.CheckpointRow;
import dev.exportdesk.store.LedgerRepository.Entry;
import dev.exportdesk.store.LedgerRepository;
import dev.exportdesk.store.RunPrune;
import dev.exportdesk.store.RunRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The workspace ledger (docs/ledger.md): appends a completed run's chunks as leaves, signs a
 * checkpoint, keeps the state store and the fsynced file copy in step, and builds the proofs
 * delivered with the run. Appending is idempotent per run, so a finalize repeated after a crash
 * produces byte-identical checkpoint and proof files.
 */
public final class LedgerService {
    private static final HexFormat HEX = HexFormat.of();
    private static final Object APPEND_LOCK = new Object();
    private final EngineContext ctx;
    private LedgerKeys keys;

    public LedgerService(EngineContext ctx) {
        this.ctx = ctx;
    }

    /** {@code <workspace>/ledger}: the signing key, the verifier key and {@code ledger.log}. */
    public Path directory() {
        return ctx.stagingDir().toAbsolutePath().getParent().resolve("ledger");
    }

    public LedgerFile file() {
        return new LedgerFile(directory().resolve("ledger.log"));
    }

    public synchronized LedgerKeys keys() {
        if (keys == null) {
            // a team store has one key for every machine, kept sealed in the store
            keys = ctx.store().ledgerSigningKey()
                    .map(k -> LedgerKeys.of(k.privateKey(), k.publicKey(), directory()))
                    .orElseGet(() -> LedgerKeys.loadOrCreate(directory()));
        }
        return keys;
    }

    /** The files delivered beside a run's manifest. */
    public record RunLedger(String checkpointNote, byte[] proofs) {
        public byte[] checkpointBytes() {
            return checkpointNote.getBytes(StandardCharsets.UTF_8);
        }
    }

    /** The ledger's "file" name of the leaf that holds the manifest's own hash (chunk_seq 0). */
    public static final String MANIFEST_LEAF_FILE = "manifest.json";

    public RunLedger appendRun(RunRecord run, Contract contract, List<ChunkRecord> chunks, String manifestSha256, long rows) {
        // within a process, runs finalizing at once append one after the other; across the processes of a
        // shared store, the ledger_writer row lock taken in the append transaction does the same
        synchronized (APPEND_LOCK) {
            return append(run, contract, chunks, manifestSha256, rows);
        }
    }

    private RunLedger append(RunRecord run, Contract contract, List<ChunkRecord> chunks, String manifestSha256,
                             long rows) {
        LedgerKeys k = keys();
        ctx.store().updateDurably(c -> {
            LedgerRepository repo = ctx.store().ledger();
            repo.lockWriter(c);
            if (repo.checkpoint(c, run.id()).isPresent()) {
                return;
            }
            List<Entry> all = repo.all(c);
            List<byte[]> hashes = leafHashes(all);
            long index = all.size();
            for (ChunkRecord ch : chunks) {
                LedgerLeaf leaf = new LedgerLeaf(contract.name(), run.sequence(), run.id(), ch.fileName(),
                        ch.rowCount(), ch.sha256(), ch.contentSha256());
                byte[] hash = leaf.hash();
                repo.append(c, new Entry(index++, contract.name(), run.id(), ch.seq(), leaf.text(), HEX.formatHex(hash)),
                        ctx.now());
                hashes.add(hash);
            }
            LedgerLeaf manifest = manifestLeaf(contract.name(), run, rows, manifestSha256);
            byte[] mh = manifest.hash();
            repo.append(c, new Entry(index, contract.name(), run.id(), 0, manifest.text(), HEX.formatHex(mh)), ctx.now());
            hashes.add(mh);
            Checkpoint cp = new Checkpoint(k.origin(), hashes.size(), Merkle.root(hashes));
            repo.addCheckpoint(c, new CheckpointRow(run.id(), contract.name(), cp.size(), cp.rootHex(), k.sign(cp),
                    ctx.now()));
        });
        List<Entry> all = ctx.store().inTransaction(c -> ctx.store().ledger().all(c));
        file().catchUp(all.stream().map(e -> new LedgerFile.Line(e.leafIndex(), e.leafHash(), e.leaf())).toList());
        return proofsFor(run, all);
    }

    private RunLedger proofsFor(RunRecord run, List<Entry> all) {
        List<byte[]> hashes = leafHashes(all);
        CheckpointRow cp = ctx.store().inTransaction(c -> ctx.store().ledger().checkpoint(c, run.id())).orElseThrow();
        int size = (int) cp.treeSize();
        List<LedgerProofs.LeafProof> leaves = new ArrayList<>();
        for (Entry e : all) {
            if (e.runId().equals(run.id())) {
                leaves.add(new LedgerProofs.LeafProof(fileOf(e.leaf()), e.leafIndex(), e.leaf(),
                        Merkle.inclusionProof(hashes, (int) e.leafIndex(), size)));
            }
        }
        LedgerProofs.Previous previous = previousCheckpoint(run).map(p -> new LedgerProofs.Previous(p.treeSize(),
                HEX.parseHex(p.rootHash()), Merkle.consistencyProof(hashes, (int) p.treeSize(), size))).orElse(null);
        LedgerProofs proofs = new LedgerProofs(keys().origin(), size, HEX.parseHex(cp.rootHash()), leaves, previous);
        return new RunLedger(cp.note(), proofs.write());
    }

    /**
     * Retention: appends one {@link PrunedLeaf} per file of a run about to be pruned, inside the
     * caller's transaction (the one that records the prune), numbered below zero so they never meet
     * a chunk's number. Idempotent per run. The next run's signed checkpoint covers them; call
     * {@link #syncFile} once the transaction committed.
     */
    public void appendPruned(Connection c, RunRecord run, List<RunPrune.PrunedFile> files) throws SQLException {
        LedgerRepository repo = ctx.store().ledger();
        repo.lockWriter(c);
        if (repo.forRun(c, run.id()).stream().anyMatch(e -> e.chunkSeq() < 0)) {
            return;
        }
        long index = repo.all(c).size();
        int seq = -1;
        for (RunPrune.PrunedFile f : files) {
            PrunedLeaf leaf = new PrunedLeaf(run.contractName(), run.sequence(), run.id(), f.name(), f.sha256(),
                    f.hashedFrom());
            repo.append(c, new Entry(index++, run.contractName(), run.id(), seq--, leaf.text(), HEX.formatHex(leaf.hash())),
                    ctx.now());
        }
    }

    /** Brings the fsynced ledger file up to the state store's entries. */
    public void syncFile() {
        List<Entry> all = ctx.store().inTransaction(c -> ctx.store().ledger().all(c));
        file().catchUp(all.stream().map(e -> new LedgerFile.Line(e.leafIndex(), e.leafHash(), e.leaf())).toList());
    }

    /** The last leaf of every run: the manifest's SHA-256 and total rows, so the manifest is in the ledger too. */
    static LedgerLeaf manifestLeaf(String contract, RunRecord run, long rows, String manifestSha256) {
        return new LedgerLeaf(contract, run.sequence(), run.id(), MANIFEST_LEAF_FILE, rows, manifestSha256,
                manifestSha256);
    }

    /** The checkpoint delivered with the contract's previous run, which the partner last saw. */
    Optional<CheckpointRow> previousCheckpoint(RunRecord run) {
        return ctx.store().inTransaction(c -> {
            Optional<CheckpointRow> best = Optional.empty();
            for (RunRecord r : ctx.store().runs().completedInOrder(c, run.contractName())) {
                if (r.sequence() < run.sequence()) {
                    Optional<CheckpointRow> cp = ctx.store().ledger().checkpoint(c, r.id());
                    if (cp.isPresent()) {
                        best = cp;
                    }
                }
            }
            return best;
        });
    }

    /** Leaf hashes recomputed from the leaf text; a stored hash that disagrees stops the run. */
    static List<byte[]> leafHashes(List<Entry> entries) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            if (e.leafIndex() != i) {
                throw new LedgerException("ledger entry " + i + " is missing (found index " + e.leafIndex() + ")");
            }
            byte[] h = Merkle.leafHash(e.leaf().getBytes(StandardCharsets.UTF_8));
            if (!HEX.formatHex(h).equals(e.leafHash())) {
                throw new LedgerException("ledger entry " + i + " was altered: its leaf no longer hashes to "
                        + e.leafHash());
            }
            out.add(h);
        }
        return out;
    }

    static String fileOf(String leaf) {
        for (String part : leaf.split(" ")) {
            if (part.startsWith("file=")) {
                return part.substring(5);
            }
        }
        return "";
    }
}
