package dev.exportdesk.cdc;

import java.time.Instant;
import java.util.List;
import org.postgresql.replication.LogSequenceNumber;

/**
 * One committed transaction's changes to the captured table, as the log gives them. {@code endLsn}
 * is what to {@link LogicalStream#confirm} once everything in it is durably delivered.
 */
public record Transaction(LogSequenceNumber commitLsn, LogSequenceNumber endLsn, Instant commitTime, long xid,
                         List<Change> changes) {
    public Transaction {
        changes = List.copyOf(changes);
    }
}
