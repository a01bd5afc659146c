package dev.exportdesk.transfer;

import dev.exportdesk.secret.SecretResolver;
import java.nio.file.Path;

/**
 * What remote destinations need from their surroundings: credentials, the multipart journal and
 * the workspace's known_hosts file (used when a contract pins no host key).
 */
public record TransferEnvironment(SecretResolver secrets, UploadJournal journal, Path knownHosts) {

    /** Environment-variable credentials, an in-memory journal, no known_hosts (host keys must be pinned). */
    public static TransferEnvironment fromProcessEnvironment() {
        return new TransferEnvironment(SecretResolver.envOnly(System.getenv()), UploadJournal.inMemory(), null);
    }
}
