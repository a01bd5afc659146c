package dev.exportdesk.engine.verification;

import dev.exportdesk.chunk.DeliveryLayout;
import dev.exportdesk.engine.ContractService;
import dev.exportdesk.engine.DueWork;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.engine.EngineException;
import dev.exportdesk.engine.PrunedRuns;
import dev.exportdesk.engine.RunLookup;
import dev.exportdesk.engine.delivery.EngineDestinations;
import dev.exportdesk.store.ChunkState;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.RunState;
import dev.exportdesk.store.Verification;
import dev.exportdesk.transfer.Destination;
import dev.exportdesk.verify.Check;
import dev.exportdesk.verify.DeliveryReport;
import dev.exportdesk.verify.DeliveryVerifier;
import dev.exportdesk.verify.ReceiptVerifier;
import dev.exportdesk.verify.VerificationCancelledException;
import dev.exportdesk.verify.VerifySteps;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Re-hashes a completed run's delivered files against its manifest (and the manifest against the
 * hash the state store recorded), records every outcome, and marks passing chunks VERIFIED.
 */
public final class VerifyService {
    private final EngineContext ctx;
    private final ContractService contracts;
    private final RunLookup lookup;
    private final DeliveryVerifier verifier;
    private final ReconcileService reconciler;

    public VerifyService(EngineContext ctx, ContractService contracts) {
        this.ctx = ctx;
        this.contracts = contracts;
        this.lookup = new RunLookup(ctx);
        this.reconciler = new ReconcileService(ctx);
        this.verifier = new DeliveryVerifier(ctx.scratch());
    }

    public record Outcome(RunRecord run, DeliveryReport report) {
    }

    /** A run's delivery-level outcome and, with {@code --deep}, its source- and schema-level one. */
    public record DeepOutcome(RunRecord run, DeliveryReport report, ReconcileService.RunReconciliation deep) {
        public boolean ok() {
            return report.ok() && (deep == null || deep.clean());
        }
    }

    /**
     * `verify CONTRACT|RUN [--deep]`: a contract name verifies every completed run of the contract,
     * anything else names one run. Every pass is recorded (drift history).
     */
    public List<DeepOutcome> verify(String ref, boolean deep) {
        return verify(ref, deep, VerifyProgress.Listener.NONE, () -> false);
    }

    /**
     * As {@link #verify(String, boolean)}, telling {@code listener} of each chunk checked. Once
     * {@code cancelled} turns true the verification stops at its next chunk or bisection step (the
     * thread is never interrupted): the run it was in gets no reconciliation pass and, when it was
     * still re-hashing, no delivery checks either; {@code verify.cancel} is audited with how far it
     * got, and {@link VerificationCancelledException} thrown. Runs verified before it stay recorded.
     */
    public List<DeepOutcome> verify(String ref, boolean deep, VerifyProgress.Listener listener,
                                    BooleanSupplier cancelled) {
        List<RunRecord> runs = ctx.store().inTransaction(c -> ctx.store().contracts().find(c, ref).isPresent()
                ? ctx.store().runs().completedInOrder(c, ref) : List.of());
        // a contract's runs that retention pruned are no longer there to verify; the rest are
        runs = runs.stream().filter(r -> !PrunedRuns.isPruned(ctx, r.id())).toList();
        if (runs.isEmpty()) {
            runs = List.of(lookup.find(ref));
        }
        List<DeepOutcome> out = new java.util.ArrayList<>();
        for (RunRecord run : runs) {
            VerifyTracker tracker = new VerifyTracker(run, listener, cancelled, ctx.actor());
            try {
                tracker.checkpoint();
                Outcome o = verify(run, tracker);
                ReconcileService.RunReconciliation r = null;
                if (deep) {
                    tracker.phase(VerifyProgress.Phase.SOURCE);
                    ContractService.LoadedContract loaded = contracts.load(run.contractName(), run.contractVersion());
                    try (Destination destination = EngineDestinations.open(ctx, loaded.contract().destination())) {
                        r = reconciler.reconcile(o.run(), loaded, destination, o.report(), tracker);
                    }
                }
                out.add(new DeepOutcome(o.run(), o.report(), r));
            } catch (VerificationCancelledException e) {
                String recorded = tracker.phase() == VerifyProgress.Phase.DELIVERY ? "nothing of it recorded"
                        : "its delivery check recorded, no reconciliation pass";
                ctx.store().updateDurably(c -> ctx.store().audit().append(c, ctx.now(), ctx.actor(), "verify.cancel",
                        run.contractName() + " run " + run.sequence(), null, e.getMessage() + "; " + recorded));
                throw e;
            }
        }
        return out;
    }

    public Outcome verify(String runRef) {
        return verify(lookup.find(runRef), VerifySteps.NONE);
    }

    private Outcome verify(RunRecord run, VerifySteps steps) {
        PrunedRuns.refuse(ctx, run, "verify");
        if (run.state() != RunState.COMPLETED) {
            throw new EngineException("run " + run.id() + " is " + run.state() + "; only completed runs can be "
                    + "verified (resume it first)");
        }
        ContractService.LoadedContract loaded = contracts.load(run.contractName(), run.contractVersion());
        String runDirectory = DeliveryLayout.runDirectory(loaded.contract(), run.contractVersion(), run.sequence(),
                run.plannedAt());
        DeliveryReport report;
        try (Destination destination = EngineDestinations.open(ctx, loaded.contract().destination())) {
            report = verifier.verify(destination, runDirectory, run.manifestSha256(), steps);
            report = withReceipt(report, destination, runDirectory, run);
        }
        record(run, report);
        return new Outcome(run, report);
    }

    /** Issue 5: a partner's receipt, when there is one, must acknowledge exactly what was delivered. */
    private DeliveryReport withReceipt(DeliveryReport report, Destination destination, String runDirectory,
                                       RunRecord run) {
        java.util.Map<String, String> shas = new java.util.LinkedHashMap<>();
        ctx.store().inTransaction(c -> ctx.store().chunks().forRun(c, run.id()))
                .forEach(ch -> shas.put(ch.fileName(), ch.sha256()));
        return new ReceiptVerifier().verify(destination, runDirectory, run.id(), run.manifestSha256(), shas)
                .map(check -> {
                    List<Check> all = new java.util.ArrayList<>(report.checks());
                    all.add(check);
                    return new DeliveryReport(report.runDirectory(), all);
                }).orElse(report);
    }

    /**
     * Periodic verification: every contract {@link DueWork#verifications()} finds due is verified
     * at its {@code verify_level}.
     */
    public List<DeepOutcome> verifyDue() {
        List<DeepOutcome> out = new java.util.ArrayList<>();
        for (DueWork.DueVerification due : new DueWork(ctx, contracts).verifications()) {
            out.addAll(verify(due.contract(), due.deep()));
        }
        return out;
    }

    private void record(RunRecord run, DeliveryReport report) {
        Instant now = ctx.now();
        ctx.store().updateDurably(c -> {
            Map<String, Integer> seqByFile = new HashMap<>();
            ctx.store().chunks().forRun(c, run.id()).forEach(ch -> seqByFile.put(ch.fileName(), ch.seq()));
            for (Check check : report.checks()) {
                Integer seq = seqByFile.get(check.subject());
                ctx.store().verifications().add(c, new Verification(run.id(), seq, "delivery",
                        check.ok() ? "match" : "mismatch", check.subject() + ": " + check.detail(), now,
                        check.sha256()));
                if (seq != null && check.ok()) {
                    ctx.store().chunks().transition(c, run.id(), seq, ChunkState.VERIFIED, now);
                } else if (seq != null) {
                    ctx.store().chunks().recordError(c, run.id(), seq, ChunkState.DELIVERED,
                            "verification failed: " + check.detail(), now);
                }
            }
            ctx.store().audit().append(c, now, ctx.actor(), "run.verify", run.contractName() + " run " + run.sequence(),
                    null, report.ok() ? "pass" : "fail: " + report.failures().size() + " problem(s)");
        });
    }
}
