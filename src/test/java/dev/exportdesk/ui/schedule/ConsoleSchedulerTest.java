package dev.exportdesk.ui.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.exportdesk.access.GuardedEngine;
import dev.exportdesk.access.Role;
import dev.exportdesk.access.SchedulePausedException;
import dev.exportdesk.access.User;
import dev.exportdesk.demo.DemoContracts;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.engine.ProgressListener;
import dev.exportdesk.engine.receipts.Acknowledgement;
import dev.exportdesk.engine.status.ContractStatus;
import dev.exportdesk.store.AckState;
import dev.exportdesk.store.AuditEntry;
import dev.exportdesk.store.ChunkRecord;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.RunState;
import dev.exportdesk.testing.SteppedClock;
import dev.exportdesk.ui.ConsoleContext;
import dev.exportdesk.ui.ConsoleFixture;
import dev.exportdesk.ui.PartnerReceipts;
import dev.exportdesk.ui.RecordingDialogs;
import dev.exportdesk.ui.RunEvents;
import dev.exportdesk.ui.runs.ExportsViewModel;
import dev.exportdesk.ui.runs.ScheduleWords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's schedule against a real workspace, driven one {@link ConsoleScheduler#tick()} at a
 * time on a clock the test moves: a due contract starts once (not again while its task runs, not
 * again until its next start), a receipt the partner wrote is judged (accepted; a mismatch sent
 * again and said), a missing one past its deadline is said once, and an auditor's console runs
 * nothing and says why. No toolkit, no sleeps.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ConsoleSchedulerTest {
    private static final String ORDERS = "orders-to-acme";
    @TempDir
    Path dir;
    private ConsoleFixture fixture;
    private final SteppedClock clock = new SteppedClock(Instant.now());
    private final HeldTaskRunner tasks = new HeldTaskRunner();
    private final RecordingDialogs dialogs = new RecordingDialogs();

    @AfterEach
    void close() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private record Console(ConsoleContext context, ExportsViewModel exports, ConsoleScheduler scheduler) {
    }

    /** The console as the composition root builds it for {@code user}, on the test's clock. */
    private Console console(User user) {
        EngineContext base = EngineContext.forWorkspace(fixture.workspace, Map.of(), clock, "console", millis -> { });
        ConsoleContext ctx = new ConsoleContext(fixture.workspace.root(), new GuardedEngine(user, base), tasks,
                dialogs, new RunEvents(Runnable::run), Runnable::run, clock);
        ExportsViewModel exports = new ExportsViewModel(ctx);
        return new Console(ctx, exports, new ConsoleScheduler(ctx, exports));
    }

    /** The demo workspace; the clock starts after its contracts were imported, so orders is due. */
    private void open() throws Exception {
        fixture = ConsoleFixture.open(dir, 3_000);
        clock.set(Instant.now());
    }

    private void withReceiptDeadline() throws Exception {
        open();
        PartnerReceipts.expectReceipts(fixture);
    }

    @Test
    void aDueContractStartsAtATickOnceAndAgainOnlyWhenDueAgain() throws Exception {
        open();
        Console c = console(fixture.user("opal", Role.OPERATOR));

        c.scheduler().tick();
        assertThat(tasks.heldTitles()).as("orders has a 15m schedule and never ran; customers has none")
                .containsExactly("Scheduled export " + ORDERS);
        assertThat(c.exports().isRunning(ORDERS)).isTrue();
        assertThat(c.scheduler().statusProperty().get()).startsWith("Schedule: " + ORDERS + " running");
        c.scheduler().tick();
        assertThat(tasks.heldTitles()).as("not twice while its task runs").hasSize(1);

        tasks.releaseAll();
        assertThat(c.exports().isRunning(ORDERS)).isFalse();
        assertThat(c.scheduler().statusProperty().get()).as("said when its task ended, not at the next tick")
                .doesNotContain("running");
        assertThat(c.exports().runs()).singleElement().satisfies(r -> assertThat(r.run().state())
                .isEqualTo(RunState.COMPLETED));
        assertThat(dialogs.notifications).anyMatch(n -> n.startsWith("INFO Run completed: " + ORDERS));
        c.scheduler().tick();
        assertThat(tasks.heldTitles()).as("its next start is 15 minutes after this run's").isEmpty();
        assertThat(c.scheduler().statusProperty().get()).startsWith("Schedule: next " + ORDERS + " at ");

        clock.advance(Duration.ofMinutes(16));
        c.scheduler().tick();
        assertThat(tasks.heldTitles()).containsExactly("Scheduled export " + ORDERS);
        tasks.releaseAll();
        assertThat(c.exports().runs()).hasSize(2).allSatisfy(r -> assertThat(r.run().state())
                .isEqualTo(RunState.COMPLETED));
        assertThat(audit()).filteredOn(e -> e.action().equals("run.start"))
                .extracting(AuditEntry::actor, AuditEntry::subject, AuditEntry::after)
                .containsOnly(org.assertj.core.groups.Tuple.tuple("opal", ORDERS, GuardedEngine.SCHEDULED))
                .hasSize(2);
    }

    /** Cancel means "not now": the schedule must not start it again 30 s later. */
    @Test
    void aCancelledScheduledExportIsHeldUntilAPersonRunsIt() throws Exception {
        open();
        Console c = console(fixture.user("opal", Role.OPERATOR));
        c.scheduler().tick();
        c.exports().cancel(ORDERS);
        assertThat(c.exports().isRunning(ORDERS)).isFalse();
        c.scheduler().tick();
        assertThat(tasks.heldTitles()).as("still due, but cancelled by a person").isEmpty();
        assertThat(c.scheduler().statusProperty().get()).contains(ORDERS + " held: its scheduled run was cancelled");
        clock.advance(Duration.ofHours(2));
        c.scheduler().tick();
        assertThat(tasks.heldTitles()).isEmpty();

        c.exports().runNow(ORDERS);
        tasks.releaseAll();
        c.scheduler().tick();
        assertThat(c.scheduler().statusProperty().get()).doesNotContain("held");
        clock.advance(Duration.ofMinutes(16));
        c.scheduler().tick();
        assertThat(tasks.heldTitles()).as("due again after the person's run").containsExactly("Scheduled export "
                + ORDERS);
    }

    @Test
    void aDueVerificationRunsForAnAdminAndAFailedOneIsSaid() throws Exception {
        open();
        fixture.engine(fixture.admin).importContract(DemoContracts.orders(fixture.drop)
                .replace("\"schedule\": {\"interval\": \"15m\"}", "\"schedule\": {\"interval\": \"15m\", "
                        + "\"verify_interval\": \"1h\"}"), "orders.json");
        Console admin = console(fixture.admin);
        RunRecord run = admin.context().engine().run(ORDERS, ProgressListener.NONE).run();

        Console operator = console(fixture.user("opal", Role.OPERATOR));
        operator.scheduler().tick();
        assertThat(operator.scheduler().statusProperty().get()).as("an operator may not verify")
                .contains("1 verification(s) due, paused: they need the verify permission");
        assertThat(audit()).noneMatch(e -> e.action().equals("verify.start"));

        admin.scheduler().tick();
        assertThat(audit()).filteredOn(e -> e.action().equals("verify.start")).singleElement()
                .satisfies(e -> assertThat(e.after()).isEqualTo(GuardedEngine.SCHEDULED));
        assertThat(audit()).filteredOn(e -> e.action().equals("run.verify")).extracting(AuditEntry::after)
                .containsExactly("pass");
        assertThat(admin.context().engine().scheduledWork().verifications()).as("verified: due in an hour").isEmpty();
        assertThat(dialogs.notifications).noneMatch(n -> n.contains("verification"));

        ChunkRecord first = fixture.workspace.store().inTransaction(c -> fixture.workspace.store().chunks()
                .forRun(c, run.id())).get(0);
        Files.write(fixture.drop.resolve(String.format("%s/run-%06d", ORDERS, run.sequence()))
                .resolve(first.fileName()), new byte[] {1, 2, 3});
        clock.advance(Duration.ofMinutes(61));
        admin.scheduler().tick();
        assertThat(dialogs.notifications).filteredOn(n -> n.contains("verification")).singleElement().asString()
                .startsWith("ERROR Scheduled verification failed: " + ORDERS + ": 1 of 1 run(s) failed verification");
    }

    @Test
    void aReceiptThePartnerWroteIsJudgedAtTheNextTickAndCheckReceiptSaysItInWords() throws Exception {
        withReceiptDeadline();
        Console c = console(fixture.user("opal", Role.OPERATOR));
        RunRecord run = c.context().engine().run(ORDERS, ProgressListener.NONE).run();
        c.scheduler().tick();
        assertThat(c.scheduler().statusProperty().get()).contains("1 receipt awaited");
        assertThat(receipt(c, run).state()).isEqualTo(AckState.WAITING);

        PartnerReceipts.write(fixture, run, false);
        c.scheduler().tick();
        assertThat(receipt(c, run).state()).isEqualTo(AckState.ACKNOWLEDGED);
        assertThat(dialogs.notifications).anyMatch(n -> n.startsWith("INFO Receipt acknowledged: " + ORDERS
                + " run #1: receipt ACKNOWLEDGED"));
        assertThat(c.context().engine().scheduledWork().receipts()).as("judged: no longer awaited").isEmpty();
        assertThat(c.scheduler().statusProperty().get()).doesNotContain("awaited");

        // Check receipt on the Exports screen: offered for a run that expects one, its outcome in words
        c.exports().activate();
        c.exports().selectedRunProperty().set(c.exports().runs().stream().filter(r -> r.run().id().equals(run.id()))
                .findFirst().orElseThrow());
        assertThat(c.exports().receiptCheckableProperty().get()).isTrue();
        c.exports().checkReceiptSelected();
        assertThat(c.exports().messageProperty().get()).isEqualTo(ORDERS + " run #1: receipt ACKNOWLEDGED — every "
                + "chunk's hash matched");
        assertThat(audit()).filteredOn(e -> e.action().equals("ack.check")).extracting(AuditEntry::after)
                .containsExactly("manual: ACKNOWLEDGED", GuardedEngine.SCHEDULED + ": ACKNOWLEDGED");
    }

    @Test
    void aMismatchingReceiptIsSentAgainAndSaid() throws Exception {
        withReceiptDeadline();
        Console c = console(fixture.user("opal", Role.OPERATOR));
        RunRecord run = c.context().engine().run(ORDERS, ProgressListener.NONE).run();
        PartnerReceipts.write(fixture, run, true);
        c.scheduler().tick();
        Acknowledgement judged = receipt(c, run);
        assertThat(judged.state()).isEqualTo(AckState.REDELIVERED);
        assertThat(judged.chunks()).anyMatch(ch -> ch.state().equals(AckState.REDELIVERED));
        assertThat(dialogs.notifications).singleElement().asString().startsWith("WARNING Receipt redelivered: "
                + ORDERS + " run #1: receipt REDELIVERED — 1 chunk(s) did not match");
        assertThat(c.context().engine().scheduledWork().receipts()).extracting(RunRecord::id)
                .as("a fresh receipt is awaited after the redelivery").containsExactly(run.id());
    }

    @Test
    void aMissingReceiptPastItsDeadlineIsAnSloBreachSaidOnce() throws Exception {
        withReceiptDeadline();
        Console c = console(fixture.user("opal", Role.OPERATOR));
        RunRecord run = c.context().engine().run(ORDERS, ProgressListener.NONE).run();
        c.scheduler().tick();
        assertThat(dialogs.notifications).isEmpty();

        clock.advance(Duration.ofHours(2));
        c.scheduler().tick();
        assertThat(receipt(c, run).state()).isEqualTo(AckState.OVERDUE);
        assertThat(dialogs.notifications).filteredOn(n -> n.contains("Receipt overdue")).singleElement().asString()
                .startsWith("ERROR Receipt overdue (SLO breach): " + ORDERS + " run #1: receipt OVERDUE");
        c.scheduler().tick();
        assertThat(dialogs.notifications).filteredOn(n -> n.contains("Receipt overdue")).hasSize(1);
    }

    @Test
    void anAuditorsOrStewardsConsoleRunsNothingAndSaysWhy() throws Exception {
        open();
        Console c = console(fixture.user("aude", Role.AUDITOR));
        c.scheduler().tick();
        assertThat(tasks.heldTitles()).isEmpty();
        assertThat(c.exports().isRunning(ORDERS)).isFalse();
        assertThat(c.scheduler().statusProperty().get()).isEqualTo("Schedule paused: aude (auditor) may not operate "
                + "runs; scheduled exports, verifications and receipts wait for an operator or admin");
        assertThat(audit()).noneMatch(e -> e.action().equals("run.start"));

        Console steward = console(fixture.user("stu", Role.STEWARD));
        steward.scheduler().tick();
        assertThat(tasks.heldTitles()).isEmpty();
        assertThat(steward.scheduler().statusProperty().get()).startsWith("Schedule paused: stu (steward) may not "
                + "operate runs");
    }

    /**
     * Pause is operational state: the schedule leaves the contract alone (also when it was paused
     * after the schedule looked), a person's Run now still runs it, and Enable hands it back.
     */
    @Test
    void aPausedContractIsNotStartedByTheScheduleWhileRunNowStillRunsIt() throws Exception {
        open();
        Console c = console(fixture.user("opal", Role.OPERATOR));
        Console steward = console(fixture.user("stu", Role.STEWARD));
        steward.exports().refresh();
        steward.exports().selectedContractProperty().set(steward.exports().schedule().stream()
                .filter(s -> s.contract().equals(ORDERS)).findFirst().orElseThrow());
        dialogs.textAnswer = "partner migrating their SFTP";
        steward.exports().pauseSelected(); // stewards may pause; they may not run
        assertThat(dialogs.confirmations).anyMatch(q -> q.startsWith("Pause " + ORDERS + ": The schedule will not "
                + "start " + ORDERS + " until it is enabled; Run now still runs it."));
        steward.exports().refresh();
        assertThat(steward.exports().messageProperty().get()).as("a refresh keeps what the action just said")
                .startsWith(ORDERS + " paused: ");
        clock.advance(Duration.ofSeconds(16));
        steward.exports().refresh();
        assertThat(steward.exports().messageProperty().get()).as("then the runs summary again").endsWith("run(s)");

        c.scheduler().tick();
        assertThat(tasks.heldTitles()).as("orders is due, and paused").isEmpty();
        assertThat(c.scheduler().statusProperty().get()).as("not next, and said to be paused")
                .isEqualTo("Schedule: no scheduled start ahead · " + ORDERS + " paused");
        c.exports().refresh();
        ContractStatus shown = c.exports().schedule().stream().filter(s -> s.contract().equals(ORDERS)).findFirst()
                .orElseThrow();
        assertThat(ScheduleWords.nextStart(shown)).isEqualTo("paused by stu");
        assertThat(ScheduleWords.detail(shown)).startsWith(ORDERS + ": Paused by stu ")
                .contains(" — partner migrating their SFTP. ")
                .contains("The schedule does not start it (nor run --due); Run now still does. Schedule: every 15m");

        c.exports().runNow(ORDERS);
        assertThat(tasks.heldTitles()).as("a person's Run now runs it").containsExactly("Export " + ORDERS);
        tasks.releaseAll();
        assertThat(c.exports().runs()).singleElement().satisfies(r -> assertThat(r.run().state())
                .isEqualTo(RunState.COMPLETED));

        // due again, and paused between the schedule's look and the start: nothing starts, nothing fails
        clock.advance(Duration.ofMinutes(16));
        c.context().engine().enableSchedule(ORDERS);
        assertThat(c.context().engine().scheduledWork().runs()).containsExactly(ORDERS);
        c.context().engine().pauseSchedule(ORDERS, null);
        assertThatThrownBy(() -> c.context().engine().runScheduled(ORDERS, ProgressListener.NONE, () -> false))
                .isInstanceOf(SchedulePausedException.class);
        assertThat(c.exports().runs()).hasSize(1);

        c.context().engine().enableSchedule(ORDERS);
        c.scheduler().tick();
        assertThat(tasks.heldTitles()).containsExactly("Scheduled export " + ORDERS);
        tasks.releaseAll();
        assertThat(c.exports().runs()).hasSize(2);

        assertThatThrownBy(() -> fixture.engine(fixture.user("aude", Role.AUDITOR)).pauseSchedule(ORDERS, "no"))
                .isInstanceOf(dev.exportdesk.access.AccessDeniedException.class);
        assertThat(audit()).filteredOn(e -> e.action().startsWith("contract.pause") || e.action().equals("contract.enable"))
                .extracting(AuditEntry::action, AuditEntry::actor, AuditEntry::after)
                .containsExactly( // newest first
                        org.assertj.core.groups.Tuple.tuple("contract.enable", "opal", "ENABLED"),
                        org.assertj.core.groups.Tuple.tuple("contract.pause", "opal", "PAUSED"),
                        org.assertj.core.groups.Tuple.tuple("contract.enable", "opal", "ENABLED"),
                        org.assertj.core.groups.Tuple.tuple("contract.pause", "stu", "PAUSED: partner migrating their SFTP"));
        assertThat(audit()).anyMatch(e -> e.action().equals("access.denied") && e.actor().equals("aude"));
    }

    private Acknowledgement receipt(Console c, RunRecord run) {
        RunRecord now = c.context().engine().findRun(run.id()).orElseThrow();
        return c.context().engine().receipt(now).orElseThrow();
    }

    private List<AuditEntry> audit() {
        return fixture.workspace.store().inTransaction(c -> fixture.workspace.store().audit().recent(c, 500));
    }
}
