package dev.exportdesk.chunk;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A chunk as listed in a manifest. {@code cursorFrom}/{@code cursorTo} are the ordering tuples of
 * the chunk's first and last rows (inclusive), as JSON arrays. {@code corrects} is set only on a
 * correction chunk: the delivered chunk whose rows it corrects. {@code truncateFirst}: the table was
 * truncated at the source just before this chunk's changes, so the partner empties its copy first.
 */
public record ChunkEntry(String file, long rows, long deletes, long bytes, String sha256, String contentSha256,
                         JsonNode cursorFrom, JsonNode cursorTo, String schemaFingerprint, Corrects corrects,
                         boolean truncateFirst) {

    /** The chunk a correction chunk corrects: run (id and sequence) and file name. */
    public record Corrects(String runId, long sequence, String chunk) {
    }

    public ChunkEntry(String file, long rows, long deletes, long bytes, String sha256, String contentSha256,
                      JsonNode cursorFrom, JsonNode cursorTo, String schemaFingerprint) {
        this(file, rows, deletes, bytes, sha256, contentSha256, cursorFrom, cursorTo, schemaFingerprint, null);
    }

    public ChunkEntry(String file, long rows, long deletes, long bytes, String sha256, String contentSha256,
                      JsonNode cursorFrom, JsonNode cursorTo, String schemaFingerprint, Corrects corrects) {
        this(file, rows, deletes, bytes, sha256, contentSha256, cursorFrom, cursorTo, schemaFingerprint, corrects,
                false);
    }
}
