package dev.exportdesk.transfer;

import dev.exportdesk.secret.SecretResolver;
import java.nio.file.Path;

/**
 * What remote destinations need from their surroundings: credentials, the multipart journal and
 * the workspace's known_hosts file (used when a contract pins no host key).
 */
public record TransferEnvironment(SecretResolver secrets, UploadJournal journal, Path knownHosts) {
}
