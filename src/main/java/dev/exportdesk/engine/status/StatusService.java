package dev.exportdesk.engine.status;

import dev.exportdesk.cdc.CaptureException;
import dev.exportdesk.cdc.ResyncRequiredException;
import dev.exportdesk.cdc.SlotHealth;
import dev.exportdesk.contract.Contract;
import dev.exportdesk.engine.ContractService;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.engine.RunLookup;
import dev.exportdesk.store.TransferAttempt;
import dev.exportdesk.source.SourceException;
import dev.exportdesk.store.AuditEntry;
import dev.exportdesk.store.AuditFilter;
import dev.exportdesk.store.Checkpoint;
import dev.exportdesk.store.ChunkRecord;
import dev.exportdesk.store.ContractRecord;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.ScheduleControl;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Read-only views for {@code status}, the console's dashboards and the alerts. */
public final class StatusService {
    private final EngineContext ctx;
    private final ContractService contracts;
    private final RunLookup lookup;

    public StatusService(EngineContext ctx, ContractService contracts) {
        this.ctx = ctx;
        this.contracts = contracts;
        this.lookup = new RunLookup(ctx);
    }

    public List<ContractStatus> contracts() {
        List<ContractStatus> out = new ArrayList<>();
        Instant now = ctx.now();
        Map<String, ScheduleControl> controls = ctx.store().inTransaction(c -> ctx.store().scheduleStates().all(c));
        for (ContractRecord record : contracts.list()) {
            Contract contract = contracts.load(record.name()).contract();
            out.add(ctx.store().inTransaction(c -> {
                Optional<RunRecord> last = ctx.store().runs().latest(c, record.name());
                Checkpoint cp = ctx.store().checkpoints().get(c, record.name());
                List<RunRecord> completed = ctx.store().runs().completedInOrder(c, record.name());
                RunRecord lastDone = completed.isEmpty() ? null : completed.get(completed.size() - 1);
                Instant lastCompletedAt = lastDone == null ? null : lastDone.finishedAt();
                Duration lag = lastDone == null ? null : Duration.between(lastDone.plannedAt(), now);
                Instant next = contract.schedule().map(s -> lastDone == null ? s.firstStart(record.createdAt())
                        : s.nextAfter(lastDone.plannedAt())).orElse(null);
                return new ContractStatus(record.name(), record.partner(), record.currentVersion(), last.orElse(null),
                        cp, lastCompletedAt, lag, contract.slo().maxDeliveryLag(), next, contract.schedule().orElse(null),
                        controls.get(record.name()));
            }));
        }
        return out;
    }

    /**
     * The newest runs; an unfinished one counts what its chunks sealed so far (a worker's or another
     * process's run in progress, or one that stopped), not the zeros it holds until it completes.
     */
    /**
     * The replication slot of every logical contract, read from its source now (one connection each,
     * so the caller decides how often). A slot the first run has not created yet is not a problem.
     */
    public List<SlotReport> slots() {
        List<SlotReport> out = new ArrayList<>();
        for (ContractRecord record : contracts.list()) {
            Contract contract = contracts.load(record.name()).contract();
            if (!contract.capture().logical()) {
                continue;
            }
            String slot = contract.capture().slot();
            boolean copied = ctx.store().inTransaction(c -> ctx.store().checkpoints().get(c, record.name()))
                    .cursorValue() != null;
            try (Connection source = ctx.sources().open(contract.source())) {
                out.add(new SlotReport(record.name(), slot, SlotHealth.check(source, slot), null, false));
            } catch (ResyncRequiredException e) {
                out.add(copied ? new SlotReport(record.name(), slot, null, e.getMessage(), true)
                        : new SlotReport(record.name(), slot, null, "not created yet: the first run creates it", false));
            } catch (CaptureException | SourceException | SQLException e) {
                out.add(new SlotReport(record.name(), slot, null, "cannot read: " + e.getMessage(), false));
            }
        }
        return out;
    }

    public List<RunRecord> recentRuns(int limit) {
        return ctx.store().inTransaction(c -> {
            java.util.Map<String, dev.exportdesk.store.SealedTotals> sealed = ctx.store().chunks().sealedOfUnfinished(c);
            return ctx.store().runs().recent(c, limit).stream().map(r -> r.state() == dev.exportdesk.store.RunState
                    .COMPLETED || !sealed.containsKey(r.id()) ? r : r.withSealed(sealed.get(r.id()))).toList();
        });
    }

    public record RunDetail(RunRecord run, List<ChunkRecord> chunks) {
    }

    /** Which of {@code runIds} retention pruned, or is pruning, from their destination. */
    public java.util.Set<String> pruned(List<String> runIds) {
        return ctx.store().inTransaction(c -> ctx.store().prunes().states(c, runIds)).keySet();
    }

    /** The retention record of a run, if it was pruned. */
    public java.util.Optional<dev.exportdesk.store.RunPrune> prune(String runId) {
        return ctx.store().inTransaction(c -> ctx.store().prunes().find(c, runId));
    }

    public RunDetail run(String runRef) {
        RunRecord run = lookup.find(runRef);
        return new RunDetail(run, ctx.store().inTransaction(c -> ctx.store().chunks().forRun(c, run.id())));
    }

    /** Every delivery attempt of the run's chunks, in chunk then attempt order. */
    public List<TransferAttempt> attempts(String runRef) {
        String runId = lookup.find(runRef).id();
        return ctx.store().inTransaction(c -> ctx.store().transferAttempts().forRun(c, runId));
    }

    public List<AuditEntry> audit(int limit) {
        return ctx.store().inTransaction(c -> ctx.store().audit().recent(c, limit));
    }

    /** The newest {@code limit} entries the filter matches. */
    public List<AuditEntry> audit(AuditFilter filter, int limit) {
        return ctx.store().inTransaction(c -> ctx.store().audit().matching(c, filter, limit));
    }
}
