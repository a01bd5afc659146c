package dev.exportdesk.cli;

import dev.exportdesk.engine.AckService;
import dev.exportdesk.engine.ContractService;
import dev.exportdesk.engine.DestinationProbe;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.engine.ExportEngine;
import dev.exportdesk.engine.StatusService;
import dev.exportdesk.engine.VerifyService;
import dev.exportdesk.secret.MasterKey;
import dev.exportdesk.secret.SecretResolver;
import dev.exportdesk.secret.SecretVault;
import dev.exportdesk.source.SourceConnector;
import dev.exportdesk.store.Workspace;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/** The composition root of one CLI invocation: the open workspace and the engine's services. */
final class CliContext implements AutoCloseable {
    private final Workspace workspace;
    private final ContractService contracts;
    private final ExportEngine engine;
    private final StatusService status;
    private final VerifyService verify;
    private final SecretVault vault;
    private final DestinationProbe probe;
    private final AckService acks;
    private final String actor;

    private CliContext(Workspace workspace, Map<String, String> env) {
        this.workspace = workspace;
        this.actor = actor(env);
        this.vault = new SecretVault(workspace.store(), () -> MasterKey.load(workspace.root(), env),
                Clock.systemUTC());
        EngineContext ctx = new EngineContext(workspace.store(), workspace.stagingDir(), new SourceConnector(env),
                Clock.systemUTC(), actor, EngineContext.Sleeper.REAL, SecretResolver.of(vault, env),
                workspace.root().resolve("known_hosts"));
        this.probe = new DestinationProbe(ctx, new ContractService(ctx));
        this.acks = new AckService(ctx, new ContractService(ctx));
        this.contracts = new ContractService(ctx);
        this.engine = new ExportEngine(ctx, contracts);
        this.status = new StatusService(ctx, contracts);
        this.verify = new VerifyService(ctx, contracts);
    }

    static CliContext open(Path root, Map<String, String> env) {
        Logging.useWorkspace(root);
        return new CliContext(Workspace.open(root), env);
    }

    private static String actor(Map<String, String> env) {
        String user = env.getOrDefault("USER", System.getProperty("user.name", "unknown"));
        return user + "@cli";
    }

    Workspace workspace() {
        return workspace;
    }

    ContractService contracts() {
        return contracts;
    }

    ExportEngine engine() {
        return engine;
    }

    StatusService status() {
        return status;
    }

    VerifyService verify() {
        return verify;
    }

    SecretVault vault() {
        return vault;
    }

    AckService acks() {
        return acks;
    }

    DestinationProbe probe() {
        return probe;
    }

    String actor() {
        return actor;
    }

    @Override
    public void close() {
        workspace.close();
    }
}
