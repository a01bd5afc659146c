package dev.exportdesk.cli;

import dev.exportdesk.engine.ContractService;
import dev.exportdesk.engine.DueWork;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.engine.EngineServices;
import dev.exportdesk.engine.ExportEngine;
import dev.exportdesk.engine.ScheduleService;
import dev.exportdesk.engine.delivery.DestinationProbe;
import dev.exportdesk.engine.ledger.LedgerAudit;
import dev.exportdesk.engine.receipts.AckService;
import dev.exportdesk.engine.runs.RunLogs;
import dev.exportdesk.engine.status.StatusService;
import dev.exportdesk.engine.status.StoreHealth;
import dev.exportdesk.engine.verification.ReportService;
import dev.exportdesk.engine.verification.VerifyService;
import dev.exportdesk.secret.EnvAllowList;
import dev.exportdesk.secret.MasterKey;
import dev.exportdesk.secret.SecretVault;
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
    private final LedgerAudit ledgerAudit;
    private final ReportService reports;
    private final SecretVault vault;
    private final DestinationProbe probe;
    private final AckService acks;
    private final DueWork due;
    private final StoreHealth storeHealth;
    private final ScheduleService schedules;
    private final RunLogs runLogs;
    private final String actor;
    private final EngineContext engineContext;
    private final dev.exportdesk.engine.delivery.DestinationService destinations;
    private final EngineServices services;

    private CliContext(Workspace workspace, Map<String, String> env) {
        this.workspace = workspace;
        this.actor = actor(env);
        this.vault = new SecretVault(workspace.store(), () -> MasterKey.of(workspace, env),
                Clock.systemUTC());
        EngineContext ctx = EngineContext.forWorkspace(workspace, env, Clock.systemUTC(), actor,
                EngineContext.Sleeper.REAL);
        this.engineContext = ctx;
        EngineServices services = EngineServices.of(ctx);
        this.services = services;
        this.contracts = services.contracts();
        this.probe = services.probe();
        this.destinations = services.destinations();
        this.acks = services.acks();
        this.engine = services.engine();
        this.status = services.status();
        this.due = services.due();
        this.verify = services.verify();
        this.ledgerAudit = services.ledgerAudit();
        this.reports = services.reports();
        this.storeHealth = services.storeHealth();
        this.schedules = services.schedules();
        this.runLogs = services.runLogs();
    }

    /** The workspace of the command line a subcommand belongs to. */
    static CliContext open(picocli.CommandLine.Model.CommandSpec spec) {
        return ((ExportDeskCommand) spec.root().userObject()).open();
    }

    static CliContext open(Path root, Map<String, String> env) {
        Logging.useWorkspace(root);
        return new CliContext(Workspace.open(root, env), env);
    }

    static String actor(Map<String, String> env) {
        String user = env.getOrDefault("USER", System.getProperty("user.name", "unknown"));
        return user + "@cli";
    }

    /** Every engine service of this workspace, for what builds on several (alerts, metrics). */
    EngineServices services() {
        return services;
    }

    EngineContext engineContext() {
        return engineContext;
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

    DueWork due() {
        return due;
    }

    VerifyService verify() {
        return verify;
    }

    LedgerAudit ledgerAudit() {
        return ledgerAudit;
    }

    StoreHealth storeHealth() {
        return storeHealth;
    }

    ScheduleService schedules() {
        return schedules;
    }

    RunLogs runLogs() {
        return runLogs;
    }

    ReportService reports() {
        return reports;
    }

    SecretVault vault() {
        return vault;
    }

    EnvAllowList envAllowList() {
        return new EnvAllowList(workspace.store(), Clock.systemUTC());
    }

    AckService acks() {
        return acks;
    }

    DestinationProbe probe() {
        return probe;
    }

    dev.exportdesk.engine.delivery.DestinationService destinations() {
        return destinations;
    }

    String actor() {
        return actor;
    }

    @Override
    public void close() {
        workspace.close();
    }
}
