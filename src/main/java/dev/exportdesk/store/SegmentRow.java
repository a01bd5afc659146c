package dev.exportdesk.store;

import java.time.Instant;

/** One key range of a split run; tuples as {@code CursorCodec} text, null for an open end. */
public record SegmentRow(String runId, int segment, String afterTuple, String upToTuple, int maxHolders,
                         SegmentState state, long epoch, String holder, Instant expiresAt, String error) {
}
