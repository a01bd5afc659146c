package dev.exportdesk.chunk;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A chunk as listed in a manifest. {@code cursorFrom}/{@code cursorTo} are the ordering tuples of
 * the chunk's first and last rows (inclusive), as JSON arrays.
 */
public record ChunkEntry(String file, long rows, long deletes, long bytes, String sha256, String contentSha256,
                         JsonNode cursorFrom, JsonNode cursorTo, String schemaFingerprint) {
}
