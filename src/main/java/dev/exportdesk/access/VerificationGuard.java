package dev.exportdesk.access;

import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.engine.receipts.AckService;
import dev.exportdesk.engine.verification.VerifyProgress;
import dev.exportdesk.engine.verification.VerifyService;
import dev.exportdesk.store.ChunkPageQuery;
import dev.exportdesk.store.CorrectionRepository;
import dev.exportdesk.store.RunRecord;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Verification and what it found, chunk by chunk, for one signed-in user. */
public final class VerificationGuard {
    private final Session checks;
    private final EngineContext ctx;
    private final VerifyService verify;
    private final AckService acks;
    private final ChunkPageQuery chunkPages = new ChunkPageQuery();

    VerificationGuard(Session checks, EngineContext ctx, VerifyService verify, AckService acks) {
        this.checks = checks;
        this.ctx = ctx;
        this.verify = verify;
        this.acks = acks;
    }

    public VerifyService.Outcome verify(String runRef) {
        checks.require(Permission.VERIFY, "verify deliveries");
        return verify.verify(runRef);
    }

    /**
     * `verify RUN --deep`: the delivery check, then source- and schema-level reconciliation with
     * bisection to the exact differing keys. The engine records the pass (drift history) and audits
     * it as {@code run.verify} and {@code run.reconcile} with this user; a refusal is audited here.
     */
    public List<VerifyService.DeepOutcome> deepVerify(String runRef) {
        return deepVerify(runRef, VerifyProgress.Listener.NONE, () -> false);
    }

    /**
     * As {@link #deepVerify(String)}, with progress per chunk; when {@code cancelled} turns true the
     * verification stops at its next chunk or bisection step, records no reconciliation pass, is
     * audited as {@code verify.cancel} and throws
     * {@link dev.exportdesk.verify.VerificationCancelledException}.
     */
    public List<VerifyService.DeepOutcome> deepVerify(String runRef, VerifyProgress.Listener listener,
                                                      BooleanSupplier cancelled) {
        checks.require(Permission.VERIFY, "verify deliveries");
        return verify.verify(runRef, true, listener, cancelled);
    }

    /** The latest deep verification's outcome per chunk for {@code fromSeq <= seq <= toSeq}. */
    public java.util.Map<Integer, ChunkPageQuery.Reconciliation> chunkReconciliations(String runId, int fromSeq,
                                                                                      int toSeq) {
        checks.require(Permission.READ, "read chunks");
        return ctx.store().inTransaction(c -> chunkPages.reconciliations(c, runId, fromSeq, toSeq));
    }

    /**
     * The partner's receipt for chunks {@code fromSeq..toSeq} of a run (ACKNOWLEDGED / REDELIVER per
     * chunk) and the run's receipt state (waiting, overdue, not expected…), from the state store only.
     */
    public AckService.PageReceipts chunkReceipts(String runId, int fromSeq, int toSeq) {
        checks.require(Permission.READ, "read chunks");
        RunRecord run = ctx.store().inTransaction(c -> ctx.store().runs().find(c, runId))
                .orElseThrow(() -> new IllegalArgumentException("no run " + runId));
        return acks.chunkReceipts(run, fromSeq, toSeq);
    }

    /** The keys bisection found for one chunk in one verification pass (at most {@code limit}). */
    public List<ChunkPageQuery.DifferingKey> differingKeys(long verificationId, int chunkSeq, int limit) {
        checks.require(Permission.READ, "read chunks");
        return ctx.store().inTransaction(c -> chunkPages.differingKeys(c, verificationId, chunkSeq, limit));
    }

    /** What the correction chunks {@code fromSeq..toSeq} of a run correct, with their keys by kind (a page). */
    public java.util.Map<Integer, CorrectionRepository.Link> chunkCorrections(String runId, int fromSeq, int toSeq) {
        checks.require(Permission.READ, "read chunks");
        return ctx.store().inTransaction(c -> ctx.store().corrections().links(c, runId, fromSeq, toSeq));
    }

    /** The correction chunks that correct chunk {@code chunkSeq} of a run, with their runs' states. */
    public List<CorrectionRepository.CorrectedBy> correctedBy(String runId, int chunkSeq) {
        checks.require(Permission.READ, "read chunks");
        return ctx.store().inTransaction(c -> ctx.store().corrections().correctedBy(c, runId, chunkSeq, chunkSeq));
    }

    /** Every recorded verification pass of a contract, oldest first (drift history). */
    public List<dev.exportdesk.store.ReconciliationRepository.Pass> driftHistory(String contract) {
        checks.require(Permission.READ, "read verification history");
        return ctx.store().inTransaction(c -> ctx.store().reconciliations().passes(c, contract, null, null));
    }
}
