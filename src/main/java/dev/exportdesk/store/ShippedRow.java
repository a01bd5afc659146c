package dev.exportdesk.store;

import java.time.Instant;

/** A row as last shipped: its key, the hash of its canonical encoding and its cursor time. */
public record ShippedRow(String rowKey, String rowSha256, Instant cursorAt) {
}
