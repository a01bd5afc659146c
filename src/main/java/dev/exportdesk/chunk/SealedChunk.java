package dev.exportdesk.chunk;

import java.nio.file.Path;

/** A finished chunk file in staging with its counts and hashes. */
public record SealedChunk(Path file, long rows, long deletes, long bytes, long contentBytes, String sha256,
                          String contentSha256) {
}
