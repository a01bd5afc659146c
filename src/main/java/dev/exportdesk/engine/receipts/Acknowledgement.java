package dev.exportdesk.engine.receipts;

import dev.exportdesk.store.AckState;
import java.time.Instant;
import java.util.List;

/**
 * Where a run's partner receipt stands. {@code state}: NOT_EXPECTED (the contract sets no
 * ack_deadline), WAITING (before the deadline), OVERDUE (deadline passed without a valid receipt: an
 * SLO breach), REJECTED (malformed, oversized, for another run or another manifest), ACKNOWLEDGED
 * (every chunk's hash matched), REDELIVERED (chunks that did not match were sent again; waiting for
 * a fresh receipt by the new deadline) or REDELIVER (chunks did not match and could not be, or
 * were too often, sent again; see {@code chunks}).
 */
public record Acknowledgement(String runId, AckState state, Instant deadline, Instant checkedAt, String detail,
                              List<ChunkAck> chunks) {

    /** One chunk's outcome: ACKNOWLEDGED, REDELIVERED or REDELIVER, with the reason. */
    public record ChunkAck(int seq, AckState state, String reason) {
    }

    /** What the last judgement recorded: which receipt it read and how many redeliveries followed. */
    record Judged(AckState state, Instant deadline, String receiptSha256, int redeliveries) {
    }

    /** Still waiting for the partner: a deadline that passes turns it into an SLO breach. */
    public boolean awaitingReceipt() {
        return state.awaitingReceipt();
    }

    public boolean sloBreached() {
        return state == AckState.OVERDUE;
    }
}
