package dev.exportdesk.engine;

import dev.exportdesk.contract.VerificationSchedule;
import dev.exportdesk.engine.status.ContractStatus;
import dev.exportdesk.engine.status.StatusService;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.RunRepository;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The one answer to "what is due now" for a workspace: contracts to run, contracts to verify,
 * runs whose partner receipt is awaited and contracts with a retention to apply. {@code run --due}, {@code verify --due} and the console's
 * scheduler all ask here, so cron and an open console never disagree about the schedule.
 */
public final class DueWork {
    private final EngineContext ctx;
    private final ContractService contracts;
    private final StatusService status;

    public DueWork(EngineContext ctx, ContractService contracts) {
        this.ctx = ctx;
        this.contracts = contracts;
        this.status = new StatusService(ctx, contracts);
    }

    /** A contract whose {@code schedule.verify_interval} has passed, and at which level to verify. */
    public record DueVerification(String contract, boolean deep) {
    }

    /** The earliest scheduled start still to come. */
    public record NextStart(String contract, Instant at) {
    }

    /**
     * Everything due at {@code at}, plus the next start still to come (the console's status bar names
     * it) and the contracts whose schedule is paused (which it says too).
     */
    public record Plan(Instant at, List<String> runs, List<DueVerification> verifications,
                       List<RunRecord> receipts, Optional<NextStart> nextStart, List<String> paused) {
    }

    public Plan plan() {
        List<ContractStatus> statuses = status.contracts();
        Instant now = ctx.now();
        Optional<NextStart> next = statuses.stream().filter(s -> s.nextScheduledAt() != null && !s.paused())
                .filter(s -> s.nextScheduledAt().isAfter(now))
                .min(Comparator.comparing(ContractStatus::nextScheduledAt))
                .map(s -> new NextStart(s.contract(), s.nextScheduledAt()));
        List<String> paused = statuses.stream().filter(ContractStatus::paused).map(ContractStatus::contract).toList();
        return new Plan(now, runs(statuses), verifications(), receipts(), next, paused);
    }

    /**
     * Contracts with a schedule whose next start has come, or whose last run is unfinished: what a
     * cron-driven {@code run --due} runs now. A paused contract is never among them, unfinished run
     * or not: pausing is how an operator stops the schedule from touching it ({@link ScheduleService}).
     * Nor is one whose run waits for a re-sync: every start would fail the same way.
     */
    public List<String> runs() {
        return runs(status.contracts());
    }

    private List<String> runs(List<ContractStatus> statuses) {
        Instant now = ctx.now();
        return statuses.stream()
                .filter(s -> s.nextScheduledAt() != null && !s.paused())
                .filter(s -> s.lastRun() == null || !s.lastRun().state().awaitsResync())
                .filter(s -> !s.nextScheduledAt().isAfter(now)
                        || (s.lastRun() != null && !s.lastRun().state().finished()))
                .map(ContractStatus::contract)
                .toList();
    }

    /**
     * Contracts with completed runs whose {@code schedule.verify_interval} has passed since their
     * last recorded verification (delivery or deep), at their {@code verify_level}.
     */
    public List<DueVerification> verifications() {
        List<DueVerification> out = new ArrayList<>();
        for (var record : contracts.list()) {
            Optional<VerificationSchedule> schedule = VerificationSchedule.of(
                    contracts.export(record.name(), Optional.empty()).body());
            if (schedule.isEmpty()) {
                continue;
            }
            if (!ctx.store().inTransaction(c -> ctx.store().runs().hasCompleted(c, record.name()))) {
                continue;
            }
            Instant last = ctx.store().inTransaction(c -> ctx.store().verifications().latestFor(c, record.name()));
            if (last == null || !last.plus(schedule.get().interval()).isAfter(ctx.now())) {
                out.add(new DueVerification(record.name(), schedule.get().deep()));
            }
        }
        return out;
    }

    /**
     * Contracts whose current version sets {@code retention}: what {@code run --due} and the team
     * workers prune (engine.retention). Planning says whether anything is old enough; pruning a
     * contract with nothing due changes nothing.
     */
    public List<String> prunes() {
        return contracts.list().stream().map(r -> r.name())
                .filter(n -> !contracts.load(n).contract().retention().keepsForever()).toList();
    }

    /**
     * Completed runs whose contract version sets {@code destination.ack_deadline} and whose receipt
     * is still awaited (never checked, WAITING or REDELIVERED): what {@code ack --wait} would keep
     * polling. Oldest first.
     */
    public List<RunRecord> receipts() {
        List<RunRepository.ContractVersionRef> versions = ctx.store().inTransaction(c -> ctx.store().runs()
                .completedVersions(c));
        // only the versions that expect receipts are asked for their runs: runs of the others never leave the store
        List<RunRepository.ContractVersionRef> expecting = versions.stream().filter(v -> ackDeadline(v) != null)
                .toList();
        List<RunRecord> out = new ArrayList<>(ctx.store().inTransaction(c -> {
            List<RunRecord> runs = new ArrayList<>();
            for (RunRepository.ContractVersionRef v : expecting) {
                runs.addAll(ctx.store().runs().awaitingReceipt(c, v));
            }
            return runs;
        }));
        out.sort(Comparator.comparing(RunRecord::finishedAt).thenComparing(RunRecord::id));
        return out;
    }

    private Duration ackDeadline(RunRepository.ContractVersionRef v) {
        return contracts.load(v.contract(), v.version()).contract().destination().policy().ackDeadline();
    }
}
