package dev.exportdesk.verify;

/** A verification stopped at a {@link VerifySteps} checkpoint because its caller cancelled it. */
public final class VerificationCancelledException extends RuntimeException {
    public VerificationCancelledException(String message) {
        super(message);
    }
}
