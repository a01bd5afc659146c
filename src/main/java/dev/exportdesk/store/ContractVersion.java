package dev.exportdesk.store;

import java.time.Instant;

/** One immutable version of a contract: the canonical JSON body as imported. */
public record ContractVersion(String contractName, int version, String body, String bodySha256,
                              String schemaFingerprint, Instant createdAt, String createdBy) {
}
