package dev.exportdesk.engine;

import dev.exportdesk.engine.delivery.DestinationProbe;
import dev.exportdesk.engine.delivery.DestinationService;
import dev.exportdesk.engine.ledger.LedgerAudit;
import dev.exportdesk.engine.receipts.AckService;
import dev.exportdesk.engine.retention.PruneService;
import dev.exportdesk.engine.runs.RunEstimate;
import dev.exportdesk.engine.runs.RunLogs;
import dev.exportdesk.engine.status.StatusService;
import dev.exportdesk.engine.status.StoreHealth;
import dev.exportdesk.engine.verification.ReportService;
import dev.exportdesk.engine.verification.VerifyService;
import java.util.function.BooleanSupplier;

/**
 * The engine's services over one {@link EngineContext}, wired in this one place for every entry
 * point: the command line, the console's {@code GuardedEngine} and the tests.
 */
public record EngineServices(EngineContext ctx, ContractService contracts, ExportEngine engine, StatusService status,
                             VerifyService verify, ReportService reports, AckService acks, DueWork due,
                             RunEstimate estimates, SourceService sources, DestinationProbe probe,
                             LedgerAudit ledgerAudit, StoreHealth storeHealth, ScheduleService schedules,
                             RunLogs runLogs, DestinationService destinations, PruneService retention) {

    /** For the workspace's owner (command line, tests): an inline source definition may create its connection. */
    public static EngineServices of(EngineContext ctx) {
        return of(ctx, () -> true);
    }

    /** {@code mayDefineSources}: asked at each contract import whether the acting user administers sources. */
    public static EngineServices of(EngineContext ctx, BooleanSupplier mayDefineSources) {
        return of(ctx, mayDefineSources, StoreHealth.Thresholds.DEFAULT);
    }

    /** {@code storeThresholds}: when the state store's health warns (tests inject their own). */
    public static EngineServices of(EngineContext ctx, BooleanSupplier mayDefineSources,
                                    StoreHealth.Thresholds storeThresholds) {
        ContractService contracts = new ContractService(ctx, mayDefineSources);
        DestinationProbe probe = new DestinationProbe(ctx, contracts);
        return new EngineServices(ctx, contracts, new ExportEngine(ctx, contracts), new StatusService(ctx, contracts),
                new VerifyService(ctx, contracts), new ReportService(ctx), new AckService(ctx, contracts),
                new DueWork(ctx, contracts), new RunEstimate(ctx, contracts), new SourceService(ctx),
                probe, new LedgerAudit(ctx), new StoreHealth(ctx, storeThresholds),
                new ScheduleService(ctx, contracts), new RunLogs(ctx), new DestinationService(ctx, probe),
                new PruneService(ctx, contracts));
    }
}
