package dev.exportdesk.store;

import java.time.Instant;

/**
 * One immutable version of a contract: the canonical JSON body as imported. {@code schemaChange}:
 * null for a version a steward imported; for one the engine added because the source gained
 * nullable columns under the additive schema-change policy, the notice recorded with it (JSON).
 * {@code schemaColumns}: the exported columns {@code schemaFingerprint} was taken of (JSON), null
 * when unknown (versions stored before they were kept).
 */
public record ContractVersion(String contractName, int version, String body, String bodySha256,
                              String schemaFingerprint, Instant createdAt, String createdBy, String schemaChange,
                              String schemaColumns) {
}
