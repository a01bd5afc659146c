package dev.exportdesk.engine;

import dev.exportdesk.engine.runs.RunClaims;
import dev.exportdesk.fs.Scratch;
import dev.exportdesk.secret.EnvAllowList;
import dev.exportdesk.secret.MasterKey;
import dev.exportdesk.secret.SecretResolver;
import dev.exportdesk.secret.SecretVault;
import dev.exportdesk.source.JdbcUrlPolicy;
import dev.exportdesk.source.SourceConnector;
import dev.exportdesk.store.StateStore;
import dev.exportdesk.store.Workspace;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * What the engine's services share: the state store, the staging directory, how to reach sources,
 * the clock, who is acting (for the audit log), how to wait between retries, how to resolve
 * destination credentials, the workspace's known_hosts file for SFTP host keys, which contracts
 * are being executed in this process ({@link RunClaims}), the state store's file (for
 * {@link StoreHealth}), the folder of the runs' own logs ({@link RunLogs}) and who observes the
 * engine's work in this process ({@link EngineListener}: metrics).
 */
public record EngineContext(StateStore store, Path stagingDir, SourceConnector sources, Clock clock, String actor,
                            Sleeper sleeper, SecretResolver secrets, Path knownHosts, RunClaims claims,
                            Path storeFile, Path runLogDir, EngineListener events) {

    /** A context nobody observes. */
    public EngineContext(StateStore store, Path stagingDir, SourceConnector sources, Clock clock, String actor,
                         Sleeper sleeper, SecretResolver secrets, Path knownHosts, RunClaims claims,
                         Path storeFile, Path runLogDir) {
        this(store, stagingDir, sources, clock, actor, sleeper, secrets, knownHosts, claims, storeFile, runLogDir,
                EngineListener.NONE);
    }

    /**
     * The context every entry point (CLI, console, tests) builds for a workspace: sources through the
     * administrators' connections (credentials from {@code env}) and the workspace's encrypted secrets, known_hosts in the workspace.
     */
    public static EngineContext forWorkspace(Workspace workspace, Map<String, String> env, Clock clock, String actor,
                                             Sleeper sleeper) {
        SecretVault vault = new SecretVault(workspace.store(), () -> MasterKey.of(workspace, env), clock);
        StateStore store = workspace.store();
        EnvAllowList allowList = new EnvAllowList(store, clock);
        // a source's *_env references need an allowance for source:NAME, as a destination's do for its scope
        SourceConnector sources = new SourceConnector(env, new JdbcUrlPolicy(workspace.root()),
                name -> store.inTransaction(c -> store.sources().find(c, name)).map(SourceService::connection),
                (scope, variable) -> allowList.check(variable, scope, actor));
        return new EngineContext(store, workspace.stagingDir(), sources, clock, actor, sleeper,
                SecretResolver.of(vault, allowList, env, actor), workspace.root().resolve("known_hosts"),
                new RunClaims(), workspace.storeFile(), workspace.root().resolve("logs").resolve("runs"));
    }

    /**
     * Where verification puts plaintext it reads back (a decrypted chunk, a Parquet file):
     * {@code scratch/} beside staging, owner-only, its leftovers removed when the workspace opens.
     */
    public Scratch scratch() {
        return new Scratch(stagingDir.resolveSibling(Scratch.FOLDER));
    }

    /** The same context acting for someone else (the signed-in console user). */
    public EngineContext withActor(String otherActor) {
        return new EngineContext(store, stagingDir, sources, clock, otherActor, sleeper, secrets.as(otherActor),
                knownHosts, claims, storeFile, runLogDir, events);
    }

    /** The same context with {@code listener} observing the engine's work. */
    public EngineContext withEvents(EngineListener listener) {
        return new EngineContext(store, stagingDir, sources, clock, actor, sleeper, secrets, knownHosts, claims,
                storeFile, runLogDir, listener);
    }

    /** The same context over another view of the store (a worker's, fenced by its lease on a run). */
    public EngineContext withStore(StateStore otherStore) {
        return new EngineContext(otherStore, stagingDir, sources, clock, actor, sleeper, secrets, knownHosts, claims,
                storeFile, runLogDir, events);
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
