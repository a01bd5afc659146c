package dev.exportdesk.verify;

/**
 * Where a long verification reports how far it got and may be stopped: between chunks and between
 * bisection steps, never in the middle of a read (an interrupt there can close an H2 file channel).
 */
public interface VerifySteps {
    VerifySteps NONE = new VerifySteps() {
        @Override
        public void chunksDone(int done, int total) {
        }

        @Override
        public void checkpoint() {
        }
    };

    /** {@code done} of {@code total} chunks checked; may throw {@link VerificationCancelledException}. */
    void chunksDone(int done, int total);

    /** Between bisection steps: throws {@link VerificationCancelledException} once the caller cancelled. */
    void checkpoint();
}
