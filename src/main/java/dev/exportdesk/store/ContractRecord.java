package dev.exportdesk.store;

import java.time.Instant;

/** A contract's identity and which of its versions is current. */
public record ContractRecord(String name, String partner, String sourceName, int currentVersion,
                             Instant createdAt, Instant updatedAt) {
}
