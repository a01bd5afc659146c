package dev.exportdesk.engine;

import java.time.Instant;
import java.util.List;

/**
 * Where a run's partner receipt stands. {@code state}: NOT_EXPECTED (the contract sets no
 * ack_deadline), WAITING (before the deadline), OVERDUE (deadline passed without a valid receipt: an
 * SLO breach), REJECTED (malformed, oversized, for another run or another manifest), ACKNOWLEDGED
 * (every chunk's hash matched) or REDELIVER (some chunks did not match; see {@code chunks}).
 */
public record Acknowledgement(String runId, String state, Instant deadline, Instant checkedAt, String detail,
                              List<ChunkAck> chunks) {

    /** One chunk's outcome: ACKNOWLEDGED or REDELIVER with the reason. */
    public record ChunkAck(int seq, String state, String reason) {
    }

    public boolean sloBreached() {
        return "OVERDUE".equals(state);
    }
}
