package dev.exportdesk.engine;

import dev.exportdesk.secret.SecretResolver;
import dev.exportdesk.source.SourceConnector;
import dev.exportdesk.store.StateStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * What the engine's services share: the state store, the staging directory, how to reach sources,
 * the clock, who is acting (for the audit log), how to wait between retries, how to resolve
 * destination credentials, and the workspace's known_hosts file for SFTP host keys.
 */
public record EngineContext(StateStore store, Path stagingDir, SourceConnector sources, Clock clock, String actor,
                            Sleeper sleeper, SecretResolver secrets, Path knownHosts) {

    /** Credentials from environment variables only; known_hosts beside the staging directory. */
    public EngineContext(StateStore store, Path stagingDir, SourceConnector sources, Clock clock, String actor,
                         Sleeper sleeper) {
        this(store, stagingDir, sources, clock, actor, sleeper, SecretResolver.envOnly(System.getenv()),
                stagingDir.resolveSibling("known_hosts"));
    }

    /** Now, at the microsecond precision the state store keeps, so values read back compare equal. */
    public Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** Waiting between retries; tests replace it to run without real delays. */
    @FunctionalInterface
    public interface Sleeper {
        Sleeper REAL = Thread::sleep;

        void sleep(long millis) throws InterruptedException;
    }
}
