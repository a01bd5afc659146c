package dev.exportdesk.engine.receipts;

import dev.exportdesk.store.AckRepository;
import dev.exportdesk.store.AckState;
import java.time.Instant;
import java.util.List;

/**
 * Where a run's partner receipt stands ({@link AckState} says what each state means), as last
 * judged or, never judged, as the clock and the contract's {@code ack_deadline} say; with each
 * chunk's outcome once a receipt was read.
 */
public record Acknowledgement(String runId, AckState state, Instant deadline, Instant checkedAt, String detail,
                              List<AckRepository.ChunkAck> chunks) {

    /** Still waiting for the partner: a deadline that passes turns it into an SLO breach. */
    public boolean awaitingReceipt() {
        return state.awaitingReceipt();
    }

    public boolean sloBreached() {
        return state == AckState.OVERDUE;
    }
}
