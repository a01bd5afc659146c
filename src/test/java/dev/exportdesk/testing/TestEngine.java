package dev.exportdesk.testing;

import dev.exportdesk.engine.ContractService;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.engine.EngineServices;
import dev.exportdesk.engine.ExportEngine;
import dev.exportdesk.engine.ProgressListener;
import dev.exportdesk.engine.receipts.AckService;
import dev.exportdesk.engine.runs.RunResult;
import dev.exportdesk.engine.status.StatusService;
import dev.exportdesk.engine.verification.VerifyService;
import dev.exportdesk.secret.MasterKey;
import dev.exportdesk.secret.SecretVault;
import dev.exportdesk.store.Workspace;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/** The engine wired the way the CLI wires it, on a real workspace in a temp directory. */
public final class TestEngine implements AutoCloseable {
    public final Workspace workspace;
    public final EngineContext ctx;
    public final ContractService contracts;
    public final ExportEngine engine;
    public final StatusService status;
    public final VerifyService verify;
    /** Destination credentials at rest in this workspace (key file under the workspace). */
    public final SecretVault vault;
    public final AckService acks;

    private TestEngine(Workspace workspace, Map<String, String> env, Clock clock) {
        this.workspace = workspace;
        this.vault = new SecretVault(workspace.store(), () -> MasterKey.load(workspace.root(), env),
                Clock.systemUTC());
        // retries back off for real in production; tests keep the count but skip the waiting
        this.ctx = EngineContext.forWorkspace(workspace, env, clock, "test", millis -> { });
        EngineServices services = EngineServices.of(ctx);
        this.contracts = services.contracts();
        this.engine = services.engine();
        this.status = services.status();
        this.verify = services.verify();
        this.acks = services.acks();
    }

    public static TestEngine open(Path dir) {
        return open(dir, Map.of());
    }

    public static TestEngine open(Path dir, Map<String, String> env) {
        return new TestEngine(Workspace.open(dir), env, Clock.systemUTC());
    }

    /** An engine whose clock reads {@code clock}: a resume weeks after a crash, for instance. */
    public static TestEngine open(Path dir, Clock clock) {
        return new TestEngine(Workspace.open(dir), Map.of(), clock);
    }

    public void importContract(String json) {
        contracts.importContract(json, "test contract", false);
    }

    public RunResult run(String contract) {
        return engine.run(contract, ProgressListener.NONE);
    }

    @Override
    public void close() {
        workspace.close();
    }
}
