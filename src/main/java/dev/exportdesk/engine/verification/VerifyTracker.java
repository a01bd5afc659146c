package dev.exportdesk.engine.verification;

import dev.exportdesk.store.RunRecord;
import dev.exportdesk.verify.VerificationCancelledException;
import dev.exportdesk.verify.VerifySteps;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * One run's verification as {@link VerifySteps}: passes each chunk on as {@link VerifyProgress}, and
 * stops the verification at the next step once {@code cancelled} turns true, saying how far it got.
 */
final class VerifyTracker implements VerifySteps {
    private final RunRecord run;
    private final VerifyProgress.Listener listener;
    private final BooleanSupplier cancelled;
    private final String actor;
    private VerifyProgress.Phase phase = VerifyProgress.Phase.DELIVERY;
    private int done;
    private int total;

    VerifyTracker(RunRecord run, VerifyProgress.Listener listener, BooleanSupplier cancelled, String actor) {
        this.run = run;
        this.listener = listener;
        this.cancelled = cancelled;
        this.actor = actor;
    }

    void phase(VerifyProgress.Phase next) {
        phase = next;
        done = 0;
        total = 0;
    }

    @Override
    public void chunksDone(int chunks, int of) {
        done = chunks;
        total = of;
        listener.onProgress(new VerifyProgress(run.contractName(), run.sequence(), run.id(), phase, chunks, of));
        checkpoint();
    }

    @Override
    public void checkpoint() {
        if (cancelled.getAsBoolean()) {
            throw new VerificationCancelledException("verification of " + run.contractName() + " run "
                    + run.sequence() + " cancelled by " + actor + " in its " + phase.name().toLowerCase(Locale.ROOT)
                    + " check, after " + done + " of " + total + " chunks");
        }
    }

    VerifyProgress.Phase phase() {
        return phase;
    }
}
