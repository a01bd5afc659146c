package dev.exportdesk.store;

/**
 * Where a partner's receipt stands, for a run ({@code run_acks.state}) and, for the last three, for
 * one chunk ({@code chunk_acks.state}).
 */
public enum AckState {
    /** The contract sets no {@code destination.ack_deadline}. */
    NOT_EXPECTED,
    /** No valid receipt yet, and the deadline has not passed. */
    WAITING,
    /** The deadline passed without a valid receipt: an SLO breach. */
    OVERDUE,
    /** The receipt was malformed, oversized, or for another run or manifest. */
    REJECTED,
    /** Every chunk's hash matched. */
    ACKNOWLEDGED,
    /** Chunks that did not match were sent again; a fresh receipt is due by the new deadline. */
    REDELIVERED,
    /** Chunks did not match and could not be, or were too often, sent again. */
    REDELIVER;

    /** Still waiting for the partner: a deadline that passes turns it into an SLO breach. */
    public boolean awaitingReceipt() {
        return this == WAITING || this == REDELIVERED;
    }
}
