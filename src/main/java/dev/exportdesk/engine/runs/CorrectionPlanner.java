package dev.exportdesk.engine.runs;

import dev.exportdesk.engine.ContractService;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.engine.EngineException;
import dev.exportdesk.engine.RunLookup;
import dev.exportdesk.store.Checkpoint;
import dev.exportdesk.store.CorrectionRepository.Correction;
import dev.exportdesk.store.CorrectionRepository.Key;
import dev.exportdesk.store.CorrectionRepository;
import dev.exportdesk.store.ReconciliationRepository.DriftRow;
import dev.exportdesk.store.ReconciliationRepository.Pass;
import dev.exportdesk.store.RunMode;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.RunState;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Plans a correction run: from the latest deep verification of each run, the differing keys that
 * no later run carries (and the next increment will not carry), one correction chunk per chunk
 * they were found in. The run takes the contract's next sequence number — so it is chained,
 * ledgered and acknowledged like any run — and its keys are fixed in the state store before
 * anything is read, so a resumed correction re-reads exactly the same keys.
 */
public final class CorrectionPlanner {
    private final EngineContext ctx;
    private final ContractService contracts;
    private final RunLookup lookup;

    public CorrectionPlanner(EngineContext ctx, ContractService contracts) {
        this.ctx = ctx;
        this.contracts = contracts;
        this.lookup = new RunLookup(ctx);
    }

    /** One chunk's findings: where they were found (which pass, which chunk) and the keys. */
    private record Finding(long verificationId, RunRecord run, int chunkSeq, String file, List<Key> keys) {
    }

    /** The planned correction run, or empty when no finding is left to correct. */
    public Optional<RunRecord> plan(String ref) {
        Target target = target(ref);
        return ctx.store().inDurableTransaction(c -> planIn(c, ref, target));
    }

    /** What {@code ref} names: a contract (all its completed runs) or one completed run. */
    record Target(String contract, RunRecord one, ContractService.LoadedContract loaded) {
    }

    /** Reads and checks what {@code ref} names; refuses a run that is not completed. */
    public Target target(String ref) {
        boolean isContract = ctx.store().inTransaction(c -> ctx.store().contracts().find(c, ref).isPresent());
        RunRecord one = isContract ? null : lookup.find(ref);
        String contract = isContract ? ref : one.contractName();
        if (one != null && one.state() != RunState.COMPLETED) {
            throw new EngineException("run " + one.id() + " is " + one.state() + "; only completed runs can be "
                    + "corrected (resume it first)");
        }
        return new Target(contract, one, contracts.load(contract));
    }

    /**
     * Plans in {@code c} (a worker plans and takes its lease in one transaction). Throws, writing
     * nothing, when the contract has an unfinished run or {@code ref} was never deep-verified.
     */
    public Optional<RunRecord> planIn(Connection c, String ref, Target target) throws SQLException {
        String contract = target.contract();
        RunRecord one = target.one();
        ContractService.LoadedContract loaded = target.loaded();
        Optional<RunRecord> unfinished = ctx.store().runs().unfinished(c, contract);
        if (unfinished.isPresent()) {
            throw new EngineException("contract \"" + contract + "\" has an unfinished run #"
                    + unfinished.get().sequence() + " (" + unfinished.get().state() + "); resume it before "
                    + "correcting: exportdesk resume " + unfinished.get().id());
        }
        List<RunRecord> targets = one != null ? List.of(one) : ctx.store().runs().completedInOrder(c, contract);
        List<Finding> findings = findings(c, targets).orElseThrow(() -> new EngineException("nothing to "
                + "correct from: " + ref + " has no deep verification yet; run `exportdesk verify " + ref
                + " --deep` first"));
        if (findings.isEmpty()) {
            return Optional.<RunRecord>empty();
        }
        Checkpoint cp = ctx.store().checkpoints().get(c, contract);
        RunRecord run = new RunRecord(UUID.randomUUID().toString(), contract, loaded.version().version(),
                cp.lastSequence() + 1, RunMode.CORRECTION, RunState.PLANNED, ctx.now(), null,
                cp.cursorValue(), null, cp.upperBound(), loaded.version().schemaFingerprint(), 0, 0, 0, 0,
                cp.lastManifestSha256(), null, null, ctx.now());
        ctx.store().runs().insert(c, run);
        int seq = 0;
        int keys = 0;
        for (Finding f : findings) {
            seq++;
            ctx.store().corrections().add(c, new Correction(run.id(), seq, f.run().id(), f.run().sequence(),
                    f.chunkSeq(), f.file(), f.verificationId()), f.keys());
            keys += f.keys().size();
        }
        ctx.store().audit().append(c, ctx.now(), ctx.actor(), "run.correct", contract + " run " + run.sequence(),
                null, "{\"run_id\":\"" + run.id() + "\",\"chunks\":" + seq + ",\"keys\":" + keys + "}");
        return Optional.of(run);
    }

    /**
     * How many keys a correction of one run would ship now, counted exactly as {@link #plan} picks
     * them; 0 when the run is not completed, was never deep-verified, or everything is carried or
     * corrected already. Read-only: the console enables its Correct action with it.
     */
    public long pendingKeys(String runRef) {
        RunRecord run = lookup.find(runRef);
        if (run.state() != RunState.COMPLETED) {
            return 0;
        }
        return ctx.store().inTransaction(c -> findings(c, List.of(run)).orElse(List.of()).stream()
                .mapToLong(f -> f.keys().size()).sum());
    }

    /** The findings left to correct in {@code targets}; empty when none of them was deep-verified. */
    private Optional<List<Finding>> findings(Connection c, List<RunRecord> targets) throws SQLException {
        CorrectionRepository corrections = ctx.store().corrections();
        List<Finding> out = new ArrayList<>();
        Set<String> planned = new HashSet<>(); // a key changed in several chunks is shipped once
        boolean verified = false;
        for (RunRecord run : targets) {
            Optional<Pass> pass = latestDeepPass(c, run);
            if (pass.isEmpty()) {
                continue;
            }
            verified = true;
            Map<Integer, List<Key>> bySeq = new LinkedHashMap<>();
            for (DriftRow d : ctx.store().reconciliations().driftRows(c, pass.get().id())) {
                if (d.carriedBy() == null) {
                    bySeq.computeIfAbsent(d.chunkSeq(), s -> new ArrayList<>()).add(new Key(d.rowKey(), d.kind()));
                }
            }
            Map<Integer, String> files = new LinkedHashMap<>();
            ctx.store().chunks().forRun(c, run.id()).forEach(ch -> files.put(ch.seq(), ch.fileName()));
            for (Map.Entry<Integer, List<Key>> e : new java.util.TreeMap<>(bySeq).entrySet()) {
                Set<String> done = corrections.correctedFrom(c, pass.get().id(), run.id(), e.getKey());
                List<Key> keys = e.getValue().stream().filter(k -> !done.contains(k.rowKey())
                        && planned.add(k.rowKey())).toList();
                if (!keys.isEmpty()) {
                    out.add(new Finding(pass.get().id(), run, e.getKey(), files.get(e.getKey()), keys));
                }
            }
        }
        return verified ? Optional.of(out) : Optional.empty();
    }

    private Optional<Pass> latestDeepPass(Connection c, RunRecord run) throws SQLException {
        List<Pass> passes = ctx.store().reconciliations().passesForRun(c, run.id()).stream()
                .filter(p -> "deep".equals(p.level())).toList();
        return passes.isEmpty() ? Optional.empty() : Optional.of(passes.get(passes.size() - 1));
    }
}
