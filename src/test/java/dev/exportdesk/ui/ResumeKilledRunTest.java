package dev.exportdesk.ui;

import static dev.exportdesk.ui.ConsoleTestSupport.await;
import static dev.exportdesk.ui.ConsoleTestSupport.fx;
import static dev.exportdesk.ui.ConsoleTestSupport.fxGet;
import static org.assertj.core.api.Assertions.assertThat;

import dev.exportdesk.access.Role;
import dev.exportdesk.access.User;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.RunState;
import dev.exportdesk.testing.ChildJvm;
import dev.exportdesk.testing.Replay;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * Injects: SIGKILL (Process.destroyForcibly) of a child JVM running {@code exportdesk run} after
 * it delivered two chunks. Then the console opens the same workspace, finds the unfinished run,
 * offers to resume it, and resumes it. Must hold afterwards: the run is completed; replaying the
 * drop folder gives exactly the source's live orders — rows lost = 0, rows duplicated = 0,
 * unexpected rows = 0; and the delivery verifies.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ResumeKilledRunTest extends ConsoleFlowTest {
    private static final int ORDERS = 150_000;
    private User operator;
    private RunRecord killed;

    @Start
    void start(Stage stage) throws Exception {
        ConsoleFixture setup = ConsoleFixture.open(dir, ORDERS);
        setup.user("otto", Role.OPERATOR);
        setup.close();
        killChildMidRun();
        fixture = ConsoleFixture.open(dir, 0);
        operator = fixture.user("otto", Role.OPERATOR);
        List<RunRecord> unfinished = fixture.engine(operator).unfinishedRuns();
        assertThat(unfinished).hasSize(1);
        killed = unfinished.get(0);
        dialogs.answer = true;
        openConsole(stage, operator, null);
    }

    private void killChildMidRun() throws Exception {
        Process child = ChildJvm.start(dir.resolve("child.log"), List.of("-Xmx256m"), "--workspace",
                dir.resolve("workspace").toString(), "run", "orders-to-acme");
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (deliveredChunks() < 2) {
                assertThat(child.isAlive()).as("child still running (see child.log)").isTrue();
                assertThat(System.nanoTime()).as("two chunks delivered in time").isLessThan(deadline);
                child.waitFor(20, TimeUnit.MILLISECONDS);
            }
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(Files.exists(fixtureDrop().resolve("orders-to-acme").resolve("run-000001")
                .resolve("manifest.json"))).as("killed before the run completed").isFalse();
    }

    private Path fixtureDrop() {
        return dir.resolve("drop");
    }

    private long deliveredChunks() throws Exception {
        Path contractDir = fixtureDrop().resolve("orders-to-acme");
        if (!Files.isDirectory(contractDir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(contractDir)) {
            return files.filter(f -> f.getFileName().toString().matches("chunk-\\d+\\.jsonl\\.zst")).count();
        }
    }

    @Test
    void consoleFindsTheKilledRunAndResumesItToAnExactDelivery(FxRobot robot) throws Exception {
        var exports = shell.exports().model();
        await(20, "killed run listed", () -> exports.runs().size() == 1);
        assertThat(fxGet(() -> exports.runs().get(0).resumable())).isTrue();
        assertThat(fxGet(() -> exports.runs().get(0).stateText())).startsWith("INTERRUPTED");
        fx(() -> Screenshots.take(stage.getScene(), "exports-unfinished"));
        fx(() -> robot.lookup("#runsTable").queryTableView().getSelectionModel().select(0));
        assertThat(fxGet(() -> robot.lookup("#resumeButton").queryButton().isDisabled())).isFalse();

        // what ConsoleApp does after sign-in
        fx(exports::offerResumeOfUnfinished);
        await(10, "offer shown", () -> !dialogs.confirmations.isEmpty());
        assertThat(dialogs.confirmations.get(0)).contains("Unfinished runs found")
                .contains("orders-to-acme #1: interrupted while capturing rows: ExportDesk was stopped");
        await(180, "resumed run completed", () -> exports.runs().size() == 1
                && exports.runs().get(0).run().state() == RunState.COMPLETED && !exports.isRunning("orders-to-acme"));
        RunRecord done = fxGet(() -> exports.runs().get(0).run());
        assertThat(done.id()).isEqualTo(killed.id());
        assertThat(done.attempts()).isGreaterThanOrEqualTo(2);

        Replay replay = Replay.of(fixtureDrop().resolve("orders-to-acme"), "id");
        Set<String> source = liveOrderIds();
        Set<String> delivered = new HashSet<>(replay.table.keySet());
        Set<String> lost = new HashSet<>(source);
        lost.removeAll(delivered);
        Set<String> unexpected = new HashSet<>(delivered);
        unexpected.removeAll(source);
        Set<String> seen = new HashSet<>();
        long duplicated = replay.delivered.stream().map(r -> r.get("id").asText()).filter(k -> !seen.add(k)).count();
        assertThat(lost).as("rows lost").isEmpty();
        assertThat(unexpected).as("unexpected rows").isEmpty();
        assertThat(duplicated).as("rows duplicated").isZero();
        assertThat(fixture.engine(fixture.admin).verification().verify(done.id()).report().ok()).isTrue();
        assertThat(fixture.engine(fixture.admin).audit(50)).anyMatch(e -> e.actor().equals("otto")
                && e.action().equals("run.resume"));
        // the run's log: the killed attempt has no end; the resume is the next attempt, appended, ending COMPLETED
        String log = fixture.engine(fixture.admin).runLog(done.id()).orElseThrow();
        assertThat(log).contains("attempt 1 of run " + done.id()).doesNotContain("attempt 1 ended")
                .contains("attempt " + done.attempts() + " of run " + done.id())
                .contains("started by otto, resuming from ")
                .contains("attempt " + done.attempts() + " ended: COMPLETED");
        assertThat(log.indexOf("attempt 1 of run")).isLessThan(log.indexOf("started by otto"));
        fx(() -> Screenshots.take(stage.getScene(), "exports-resumed"));
    }

    private Set<String> liveOrderIds() throws Exception {
        Set<String> ids = new HashSet<>();
        try (Connection c = DriverManager.getConnection(fixture.shop.jdbcUrl(), "sa", "");
             ResultSet rs = c.createStatement().executeQuery("SELECT id FROM orders WHERE deleted_at IS NULL")) {
            while (rs.next()) {
                ids.add(String.valueOf(rs.getLong(1)));
            }
        }
        return ids;
    }

}
