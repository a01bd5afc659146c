package dev.exportdesk.engine.retention;

import dev.exportdesk.contract.Contract;
import dev.exportdesk.engine.ContractService;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.engine.EngineException;
import dev.exportdesk.engine.delivery.EngineDestinations;
import dev.exportdesk.engine.ledger.LedgerService;
import dev.exportdesk.store.ContractRecord;
import dev.exportdesk.store.PruneState;
import dev.exportdesk.store.RunPrune;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.transfer.DeliveryException;
import dev.exportdesk.transfer.Destination;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention (issue 16, item 7; docs/contracts.md): plans and carries out the removal of delivered
 * runs, retained copies and staging folders past their contract's {@code retention}. A delivered
 * run is recorded first — the ledger gains a leaf per file with its SHA-256, the audit log a row,
 * the store a PRUNING mark listing the files — and only then are its files deleted, by name; a prune
 * cut short is finished from that list by the next one.
 */
public final class PruneService {
    private static final Logger LOG = LoggerFactory.getLogger(PruneService.class);
    private final EngineContext ctx;
    private final ContractService contracts;
    private final RetentionPlanner planner;
    private final LocalFolders local;
    private final LedgerService ledger;

    public PruneService(EngineContext ctx, ContractService contracts) {
        this.ctx = ctx;
        this.contracts = contracts;
        this.planner = new RetentionPlanner(ctx, contracts);
        this.local = new LocalFolders(ctx, contracts);
        this.ledger = new LedgerService(ctx);
    }

    /** What one prune did: the runs removed from their destinations, the workspace folders removed. */
    public record Outcome(PrunePlan plan, List<RunResult> runs, List<PrunePlan.LocalFolder> local) {
    }

    /**
     * One delivered run's prune: files deleted, files already gone or not plain files (left alone), and
     * how many other files (not the engine's) stay in the folder, untouched.
     */
    public record RunResult(RunRecord run, String runDirectory, List<String> deleted, List<String> absent,
                            int othersLeft) {
    }

    /** What {@link #prune} would remove now: {@code contract} or, empty, every contract. */
    public PrunePlan plan(Optional<String> contract) {
        Instant now = ctx.now();
        List<PrunePlan.Kept> kept = new ArrayList<>();
        List<PrunePlan.DeliveredRun> runs = new ArrayList<>();
        for (String name : names(contract)) {
            runs.addAll(planner.delivered(name, now, kept));
        }
        try {
            return new PrunePlan(now, runs, local.plan(contract.orElse(null), now), kept);
        } catch (IOException e) {
            throw new EngineException("retention: cannot read the workspace: " + e.getMessage(), e);
        }
    }

    /** Carries out {@link #plan}, after finishing any prune an earlier attempt left half done. */
    public Outcome prune(Optional<String> contract) {
        List<RunResult> results = new ArrayList<>();
        for (RunPrune unfinished : ctx.store().inTransaction(c -> ctx.store().prunes().unfinished(c))) {
            if (contract.isEmpty() || contract.get().equals(unfinished.contractName())) {
                RunRecord run = ctx.store().inTransaction(c -> ctx.store().runs().find(c, unfinished.runId()))
                        .orElseThrow();
                results.add(delete(run, unfinished));
            }
        }
        PrunePlan plan = plan(contract);
        for (PrunePlan.DeliveredRun r : plan.runs()) {
            RunPrune record = new RunPrune(r.run().id(), r.run().contractName(), PruneState.PRUNING, r.runDirectory(),
                    r.files(), ctx.actor(), ctx.now(), null);
            boolean[] recordedHere = {false};
            ctx.store().updateDurably(c -> {
                ctx.store().prunes().lockRun(c, r.run().id());
                if (ctx.store().prunes().find(c, r.run().id()).isPresent()) {
                    return; // another process (a worker, a cron job) recorded this prune first and carries it out
                }
                recordedHere[0] = true;
                ctx.store().prunes().insert(c, record);
                ledger.appendPruned(c, r.run(), r.files());
                ctx.store().audit().append(c, ctx.now(), ctx.actor(), "run.prune", r.run().contractName() + " run "
                        + r.run().sequence(), null, "{\"run_id\":\"" + r.run().id() + "\",\"run_directory\":\""
                        + r.runDirectory().replace("\"", "") + "\",\"files\":" + r.files().size() + "}");
            });
            if (recordedHere[0]) {
                ledger.syncFile();
                results.add(delete(r.run(), record));
            }
        }
        List<PrunePlan.LocalFolder> removed = new ArrayList<>();
        for (PrunePlan.LocalFolder f : plan.local()) {
            try {
                if (LocalFolders.remove(f.folder())) {
                    removed.add(f);
                    ctx.store().update(c -> ctx.store().audit().append(c, ctx.now(), ctx.actor(), "retention.local",
                            f.contract() + " " + f.kind().name().toLowerCase(java.util.Locale.ROOT), null,
                            "{\"run_id\":\"" + f.runId() + "\",\"kind\":\"" + f.kind() + "\"}"));
                }
            } catch (IOException e) {
                LOG.warn("retention: cannot remove {}: {}", f.folder(), e.toString());
            }
        }
        return new Outcome(plan, results, removed);
    }

    /** Deletes the recorded files of a run at its destination, by name, and marks it PRUNED. */
    private RunResult delete(RunRecord run, RunPrune record) {
        Contract version = contracts.load(run.contractName(), run.contractVersion()).contract();
        List<String> deleted = new ArrayList<>();
        List<String> absent = new ArrayList<>();
        int othersLeft;
        try (Destination destination = EngineDestinations.open(ctx, version.destination())) {
            for (RunPrune.PrunedFile f : record.files()) {
                (destination.deleteDelivered(record.runDirectory() + "/" + f.name()) ? deleted : absent).add(f.name());
            }
            destination.removeEmptyFolder(record.runDirectory());
            othersLeft = destination.list(record.runDirectory()).size();
        } catch (DeliveryException e) {
            throw new DestinationUnreachableException("retention: run " + run.sequence() + " of " + run.contractName() + " is recorded "
                    + "as pruned but its files could not all be deleted (" + e.getMessage() + "); the next "
                    + "`exportdesk prune` finishes it", e);
        }
        ctx.store().updateDurably(c -> ctx.store().prunes().markPruned(c, run.id(), ctx.now()));
        LOG.info("retention: run {} of {} pruned from {}: {} file(s) deleted", run.sequence(), run.contractName(),
                record.runDirectory(), deleted.size());
        return new RunResult(run, record.runDirectory(), deleted, absent, othersLeft);
    }

    private List<String> names(Optional<String> contract) {
        if (contract.isPresent()) {
            contracts.load(contract.get()); // an unknown name fails here, named
            return List.of(contract.get());
        }
        return contracts.list().stream().map(ContractRecord::name).toList();
    }
}
