package dev.exportdesk.ui.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.access.AccessDeniedException;
import dev.exportdesk.access.GuardedEngine;
import dev.exportdesk.access.Role;
import dev.exportdesk.access.User;
import dev.exportdesk.engine.ExportEngine;
import dev.exportdesk.engine.ProgressListener;
import dev.exportdesk.engine.runs.RunProgress;
import dev.exportdesk.engine.runs.RunResult;
import dev.exportdesk.store.RunMode;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.RunState;
import dev.exportdesk.ui.ConsoleContext;
import dev.exportdesk.ui.ConsoleFixture;
import dev.exportdesk.ui.DirectTaskRunner;
import dev.exportdesk.ui.RecordingDialogs;
import dev.exportdesk.ui.RunEvents;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exports screen's model, against a real workspace and a real H2 source: listeners follow the
 * screen's lifecycle; run, roles, resume offer; and Correct after real deep verifications of a
 * source changed in place (no later run carries such a change): offered exactly while the run has
 * rows to correct, a cancelled correction stays resumable and Resume finishes it, a correction shows
 * up in the runs table, "nothing to correct" is said in words, an auditor is refused by the engine.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ExportsViewModelTest {
    private static final String ORDERS = "orders-to-acme";
    @TempDir
    static Path dir;
    static ConsoleFixture fixture;

    @BeforeAll
    static void open() throws Exception {
        fixture = ConsoleFixture.open(dir, 3_000);
    }

    @AfterAll
    static void close() {
        fixture.close();
    }

    /**
     * Ticks are coalesced and can arrive up to 250 ms late, so the last tick of a finished run can
     * come while the next run of the same contract is running: it must not bring the finished run's
     * row back to life with old counts.
     */
    @Test
    void aLateTickOfAnEndedRunLeavesItsRowAloneWhileTheNextRunRuns() {
        String contract = "orders-late-tick"; // its own contract: the other tests count the runs of theirs
        fixture.engine(fixture.admin).importContract(dev.exportdesk.demo.DemoContracts.orders(fixture.drop)
                .replace("\"" + ORDERS + "\"", "\"" + contract + "\""), "late-tick.json");
        ConsoleContext ctx = fixture.context(fixture.user("lars", Role.OPERATOR), new DirectTaskRunner(),
                new RecordingDialogs(), Runnable::run);
        ExportsViewModel vm = new ExportsViewModel(ctx);
        vm.activate();
        vm.runNow(contract);
        RunRecord first = vm.runs().stream().filter(r -> r.run().contractName().equals(contract)).findFirst()
                .orElseThrow().run();
        assertThat(first.state()).isEqualTo(RunState.COMPLETED);
        List<RunRow> seen = new ArrayList<>();
        Runnable unsubscribe = ctx.events().subscribe(new RunEvents.Listener() {
            @Override
            public void onProgress(RunProgress progress) {
                if (seen.isEmpty() && !progress.runId().equals(first.id())) {
                    vm.onProgress(new RunProgress(first.id(), contract, first.sequence(), RunProgress.Phase.CAPTURE, 999_999, 999_999,
                            99, 1, java.time.Duration.ofSeconds(1), RunProgress.Carried.NONE));
                    seen.add(row(vm, first));
                }
            }

            @Override
            public void onRunEnded(String contract) {
            }
        });
        try {
            vm.runNow(contract);
        } finally {
            unsubscribe.run();
        }
        assertThat(seen).as("the next run ticked").hasSize(1);
        assertThat(seen.get(0).running()).isFalse();
        assertThat(seen.get(0).run().rowCount()).isEqualTo(first.rowCount());
        vm.deactivate();
    }

    /** An admin's role change reaches an open Exports screen at its next refresh, not at the next sign-in. */
    @Test
    void aRoleChangeReachesTheOpenScreenAtItsNextRefresh() {
        ConsoleContext ctx = fixture.context(fixture.user("rhea", Role.OPERATOR), new DirectTaskRunner(),
                new RecordingDialogs(), Runnable::run);
        ExportsViewModel vm = new ExportsViewModel(ctx);
        vm.activate();
        assertThat(vm.canOperateProperty().get()).isTrue();

        fixture.users.changeRole(fixture.admin, "rhea", Role.AUDITOR);
        vm.refresh();
        assertThat(vm.canOperateProperty().get()).isFalse();

        fixture.users.changeRole(fixture.admin, "rhea", Role.OPERATOR);
        vm.refresh();
        assertThat(vm.canOperateProperty().get()).isTrue();
        vm.deactivate();
    }

    @Test
    void listensOnlyWhileShownAndRunsAnExport() {
        RecordingDialogs dialogs = new RecordingDialogs();
        ConsoleContext ctx = fixture.context(fixture.user("opal", Role.OPERATOR), new DirectTaskRunner(), dialogs,
                Runnable::run);
        ExportsViewModel vm = new ExportsViewModel(ctx);
        assertThat(ctx.events().listenerCount()).isZero();
        vm.activate();
        assertThat(ctx.events().listenerCount()).isOne();
        vm.activate();
        assertThat(ctx.events().listenerCount()).as("no double registration").isOne();
        assertThat(vm.schedule()).extracting(s -> s.contract()).contains("orders-to-acme", "customers-to-acme");

        // a refresh landing while the run is running here (a schedule tick, F5) keeps the row's live
        // counts, not the store's (which has them only once the run completes)
        List<long[]> shownAndReported = new ArrayList<>();
        Runnable unsubscribe = ctx.events().subscribe(new RunEvents.Listener() {
            @Override
            public void onProgress(RunProgress progress) {
                vm.refresh();
                vm.runs().stream().filter(r -> r.run().id().equals(progress.runId())).findFirst()
                        .ifPresent(r -> shownAndReported.add(new long[] {r.run().rowCount(), progress.rows()}));
            }

            @Override
            public void onRunEnded(String contract) {
            }
        });
        vm.runNow("customers-to-acme");
        unsubscribe.run();
        assertThat(shownAndReported).as("ticks seen").isNotEmpty()
                .allSatisfy(pair -> assertThat(pair[0]).as("rows shown").isEqualTo(pair[1]));
        // the correction test shares the workspace: its orders runs may be listed too
        var customers = vm.runs().stream().filter(r -> r.run().contractName().equals("customers-to-acme")).toList();
        assertThat(customers).hasSize(1);
        assertThat(customers.get(0).run().state()).isEqualTo(RunState.COMPLETED);
        assertThat(customers.get(0).resumable()).isFalse();
        assertThat(dialogs.notifications).anyMatch(n -> n.startsWith("INFO Run completed"));
        assertThat(vm.messageProperty().get()).as("the line said the run is running; now it says it ended")
                .isEqualTo("customers-to-acme #" + customers.get(0).run().sequence() + " completed");

        vm.offerResumeOfUnfinished();
        assertThat(dialogs.confirmations).as("nothing unfinished, nothing asked").isEmpty();
        vm.deactivate();
        assertThat(ctx.events().listenerCount()).isZero();
    }

    @Test
    void anAuditorCannotRunAndTheRefusalIsShownInWords() {
        RecordingDialogs dialogs = new RecordingDialogs();
        ConsoleContext ctx = fixture.context(fixture.user("aude", Role.AUDITOR), new DirectTaskRunner(), dialogs,
                Runnable::run);
        ExportsViewModel vm = new ExportsViewModel(ctx);
        assertThat(vm.canOperateProperty().get()).isFalse();
        vm.runNow("orders-to-acme");
        assertThat(dialogs.errors).singleElement().isInstanceOf(AccessDeniedException.class);
        assertThat(dev.exportdesk.ui.ErrorText.summary(dialogs.errors.get(0)))
                .isEqualTo("Your role does not allow this. aude (auditor) may not start runs: it needs the operate "
                        + "runs permission.");
    }

    @Test
    void anAuditorCannotResyncAndNothingIsPlanned() throws Exception {
        RecordingDialogs dialogs = new RecordingDialogs();
        ConsoleContext ctx = fixture.context(fixture.user("aude", Role.AUDITOR), new DirectTaskRunner(), dialogs,
                Runnable::run);
        ExportsViewModel vm = new ExportsViewModel(ctx);
        vm.refresh();
        vm.selectedContractProperty().set(vm.schedule().stream().filter(c -> c.contract().equals("orders-to-acme"))
                .findFirst().orElseThrow());
        vm.resyncSelected();
        assertThat(dialogs.confirmations).as("refused before anything is shown").isEmpty();
        assertThat(dialogs.errors).singleElement().isInstanceOf(AccessDeniedException.class);
        assertThat(dev.exportdesk.ui.ErrorText.summary(dialogs.errors.get(0))).contains("re-sync contracts");
        assertThat(fixture.engine(fixture.admin).audit(30)).noneMatch(e -> e.action().equals("run.resync"));
    }

    @Test
    void dropSlotIsRefusedToAnAuditorAndSaysWhenAContractHasNoSlot() throws Exception {
        RecordingDialogs dialogs = new RecordingDialogs();
        ConsoleContext auditor = fixture.context(fixture.user("audra", Role.AUDITOR), new DirectTaskRunner(), dialogs,
                Runnable::run);
        ExportsViewModel vm = new ExportsViewModel(auditor);
        vm.refresh();
        vm.selectedContractProperty().set(vm.schedule().stream().filter(c -> c.contract().equals("orders-to-acme"))
                .findFirst().orElseThrow());
        vm.dropSlotSelected();
        assertThat(dialogs.confirmations).as("refused before anything is shown").isEmpty();
        assertThat(dialogs.errors).singleElement().isInstanceOf(AccessDeniedException.class);
        assertThat(dev.exportdesk.ui.ErrorText.summary(dialogs.errors.get(0))).contains("drop replication slots");

        RecordingDialogs operatorDialogs = new RecordingDialogs();
        ConsoleContext operator = fixture.context(fixture.user("olga", Role.OPERATOR), new DirectTaskRunner(),
                operatorDialogs, Runnable::run);
        ExportsViewModel ops = new ExportsViewModel(operator);
        ops.refresh();
        ops.selectedContractProperty().set(ops.schedule().stream().filter(c -> c.contract().equals("orders-to-acme"))
                .findFirst().orElseThrow());
        ops.dropSlotSelected();
        assertThat(operatorDialogs.confirmations).isEmpty();
        assertThat(operatorDialogs.errors).singleElement().satisfies(e -> assertThat(
                dev.exportdesk.ui.ErrorText.summary(e)).contains("never captured from the log"));
        assertThat(fixture.engine(fixture.admin).audit(30)).noneMatch(e -> e.action().equals("contract.drop-slot"));
    }

    /**
     * What the schedule's "Last run" of orders said at each progress tick of {@code runId} while
     * {@code action} ran (the model, subscribed first, has handled a tick by the time this listener
     * sees it; a late tick of an earlier run is not one of them).
     */
    private static List<String> lastRunStatesDuring(ConsoleContext ctx, ExportsViewModel vm, String runId,
                                                    Runnable action) {
        List<String> states = new ArrayList<>();
        Runnable unsubscribe = ctx.events().subscribe(new RunEvents.Listener() {
            @Override
            public void onProgress(RunProgress progress) {
                if (!progress.runId().equals(runId)) {
                    return;
                }
                vm.schedule().stream().filter(c -> c.contract().equals(ORDERS)).findFirst()
                        .ifPresent(c -> states.add(c.lastRun() == null ? "never" : c.lastRun().state().name()));
            }

            @Override
            public void onRunEnded(String contract) {
            }
        });
        try {
            action.run();
        } finally {
            unsubscribe.run();
        }
        return states;
    }

    /** Changes one order's note in place: its cursor stays, so no later increment carries it. */
    private static void changeInPlace(int nth) throws Exception {
        try (Connection c = DriverManager.getConnection(fixture.shop.jdbcUrl(), "sa", "");
             Statement st = c.createStatement()) {
            assertThat(st.executeUpdate("UPDATE orders SET note = 'changed after export " + nth + "' WHERE id = "
                    + "(SELECT id FROM orders ORDER BY updated_at, id OFFSET " + nth
                    + " ROWS FETCH FIRST 1 ROWS ONLY)"))
                    .isEqualTo(1);
        }
    }

    private static java.util.List<RunRow> runsOf(ExportsViewModel vm) {
        return vm.runs().stream().filter(r -> r.run().contractName().equals(ORDERS)).toList();
    }

    private static RunRow row(ExportsViewModel vm, RunRecord run) {
        return vm.runs().stream().filter(r -> r.run().id().equals(run.id())).findFirst().orElseThrow();
    }

    @Test
    void correctIsOfferedWhileThereAreRowsToCorrectAndShipsThemAsACorrectionRun() throws Exception {
        User operator = fixture.user("opal", Role.OPERATOR);
        RecordingDialogs dialogs = new RecordingDialogs();
        ConsoleContext ctx = fixture.context(operator, new DirectTaskRunner(), dialogs, Runnable::run);
        ExportsViewModel vm = new ExportsViewModel(ctx);
        vm.activate();
        vm.runNow(ORDERS);
        RunRecord exported = runsOf(vm).get(0).run();
        assertThat(exported.state()).isEqualTo(RunState.COMPLETED);
        vm.selectedRunProperty().set(row(vm, exported));
        assertThat(vm.correctableProperty().get()).as("never deep-verified").isFalse();

        changeInPlace(5);
        GuardedEngine admin = fixture.engine(fixture.admin);
        assertThat(admin.verification().deepVerify(exported.id()).get(0).ok()).isFalse();
        vm.refresh();
        assertThat(vm.correctableProperty().get()).as("one changed row no run carries").isTrue();

        // cancelled as the task view's Cancel does: FAILED, resumable, and nothing left for Correct
        RunResult cancelled = ctx.engine().correct(exported.id(), ProgressListener.NONE, () -> true).orElseThrow();
        assertThat(cancelled.run().state()).isEqualTo(RunState.FAILED);
        assertThat(cancelled.run().error()).isEqualTo("cancelled by opal");
        assertThat(ctx.engine().estimateRunRows(cancelled.run().id(), RunProgress.Carried.NONE)).as("its ETA counts the planned keys")
                .isEqualTo(java.util.OptionalLong.of(1));
        vm.refresh();
        assertThat(vm.correctableProperty().get()).as("its keys belong to the unfinished correction").isFalse();
        assertThat(row(vm, cancelled.run()).resumable()).isTrue();
        assertThat(row(vm, cancelled.run()).stateText()).isEqualTo("CANCELLED · correction");
        List<String> lastRun = lastRunStatesDuring(ctx, vm, cancelled.run().id(),
                () -> vm.resume(cancelled.run()));
        assertThat(lastRun).as("the schedule's Last run follows the resumed run, listed as FAILED before")
                .isNotEmpty().allMatch("CAPTURING"::equals);
        assertThat(row(vm, cancelled.run()).run().state()).isEqualTo(RunState.COMPLETED);
        assertThat(row(vm, cancelled.run()).run().rowCount()).isEqualTo(1);
        assertThat(dialogs.notifications).anyMatch(n -> n.startsWith("INFO Correction run completed: " + ORDERS
                + " run #2: 1 rows in 1 chunks"));

        // a second change found by a second deep verification: Correct from the runs table
        changeInPlace(7);
        assertThat(admin.verification().deepVerify(exported.id()).get(0).ok()).isFalse();
        vm.selectedRunProperty().set(null);
        vm.selectedRunProperty().set(row(vm, exported));
        assertThat(vm.correctableProperty().get()).isTrue();
        dialogs.answer = false; // Correct ships rows to a partner: declined, nothing starts
        vm.correctSelected();
        assertThat(dialogs.confirmations).last().asString().startsWith("Ship a correction: Ship 1 row(s) that run #1");
        assertThat(runsOf(vm)).extracting(r -> r.run().sequence()).containsExactly(2L, 1L);
        assertThat(vm.messageProperty().get()).isEqualTo("Correction not started.");
        dialogs.answer = true;
        vm.correctSelected();
        assertThat(runsOf(vm)).extracting(r -> r.run().sequence()).containsExactly(3L, 2L, 1L);
        RunRecord correction = runsOf(vm).get(0).run();
        assertThat(correction.mode()).isEqualTo(RunMode.CORRECTION);
        assertThat(correction.state()).isEqualTo(RunState.COMPLETED);
        assertThat(correction.rowCount()).isEqualTo(1);
        assertThat(runsOf(vm).get(0).stateText()).isEqualTo("COMPLETED · correction");
        assertThat(vm.selectedRunProperty().get().run().id()).as("selection kept").isEqualTo(exported.id());
        assertThat(vm.correctableProperty().get()).as("all corrected").isFalse();
        assertThat(admin.audit(50)).anyMatch(e -> e.actor().equals("opal") && e.action().equals("run.correct"))
                .anyMatch(e -> e.actor().equals("opal") && e.action().equals("run.cancel"));

        vm.correct(exported);
        assertThat(dialogs.notifications).last().isEqualTo("INFO Nothing to correct: " + ORDERS + ": "
                + ExportEngine.NOTHING_TO_CORRECT);
        assertThat(runsOf(vm)).hasSize(3);
        assertThat(dialogs.errors).isEmpty();

        // an auditor sees the same run but is offered nothing, and the engine refuses
        changeInPlace(9);
        assertThat(admin.verification().deepVerify(exported.id()).get(0).ok()).isFalse();
        RecordingDialogs auditorDialogs = new RecordingDialogs();
        ExportsViewModel audit = new ExportsViewModel(fixture.context(fixture.user("aude", Role.AUDITOR),
                new DirectTaskRunner(), auditorDialogs, Runnable::run));
        audit.activate();
        audit.selectedRunProperty().set(row(audit, exported));
        assertThat(audit.correctableProperty().get()).isFalse();
        audit.correct(exported);
        assertThat(auditorDialogs.errors).singleElement().isInstanceOf(AccessDeniedException.class);
        assertThat(fixture.engine(fixture.admin).correctableKeys(exported.id())).as("still there for an operator")
                .isEqualTo(1);
    }
}
