package dev.exportdesk.store;

import java.time.Instant;

/** One row of {@code workers} (V20). */
public record WorkerRecord(String name, String host, long pid, Instant startedAt, Instant heartbeatAt,
                           WorkerState state) {
}
