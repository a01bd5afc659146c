package dev.exportdesk.engine;

import dev.exportdesk.chunk.DeliveryLayout;
import dev.exportdesk.store.ChunkState;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.RunState;
import dev.exportdesk.store.Verification;
import dev.exportdesk.transfer.Destination;
import dev.exportdesk.verify.Check;
import dev.exportdesk.verify.DeliveryReport;
import dev.exportdesk.verify.DeliveryVerifier;
import dev.exportdesk.verify.ReceiptVerifier;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Re-hashes a completed run's delivered files against its manifest (and the manifest against the
 * hash the state store recorded), records every outcome, and marks passing chunks VERIFIED.
 */
public final class VerifyService {
    private final EngineContext ctx;
    private final ContractService contracts;
    private final RunLookup lookup;
    private final DeliveryVerifier verifier = new DeliveryVerifier();
    private final ReconcileService reconciler;

    public VerifyService(EngineContext ctx, ContractService contracts) {
        this.ctx = ctx;
        this.contracts = contracts;
        this.lookup = new RunLookup(ctx);
        this.reconciler = new ReconcileService(ctx);
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
        List<RunRecord> runs = ctx.store().inTransaction(c -> ctx.store().contracts().find(c, ref).isPresent()
                ? ctx.store().runs().completedInOrder(c, ref) : List.of());
        if (runs.isEmpty()) {
            runs = List.of(lookup.find(ref));
        }
        List<DeepOutcome> out = new java.util.ArrayList<>();
        for (RunRecord run : runs) {
            Outcome o = verify(run.id());
            ReconcileService.RunReconciliation r = null;
            if (deep) {
                ContractService.LoadedContract loaded = contracts.load(run.contractName(), run.contractVersion());
                try (Destination destination = EngineDestinations.open(ctx, loaded.contract().destination())) {
                    r = reconciler.reconcile(o.run(), loaded, destination, o.report());
                }
            }
            out.add(new DeepOutcome(o.run(), o.report(), r));
        }
        return out;
    }

    public Outcome verify(String runRef) {
        RunRecord run = lookup.find(runRef);
        if (run.state() != RunState.COMPLETED) {
            throw new EngineException("run " + run.id() + " is " + run.state() + "; only completed runs can be "
                    + "verified (resume it first)");
        }
        ContractService.LoadedContract loaded = contracts.load(run.contractName(), run.contractVersion());
        String runDirectory = DeliveryLayout.runDirectory(run.contractName(), run.sequence());
        DeliveryReport report;
        try (Destination destination = EngineDestinations.open(ctx, loaded.contract().destination())) {
            report = verifier.verify(destination, runDirectory, run.manifestSha256());
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
