package dev.exportdesk.ui;

import static dev.exportdesk.ui.ConsoleTestSupport.await;
import static dev.exportdesk.ui.ConsoleTestSupport.fx;
import static dev.exportdesk.ui.ConsoleTestSupport.fxGet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.access.GuardedEngine;
import dev.exportdesk.access.Role;
import dev.exportdesk.access.User;
import dev.exportdesk.access.UserService;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.store.RunState;
import dev.exportdesk.store.Workspace;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.TeamWorkers;
import dev.exportdesk.ui.runs.ExportsView;
import dev.exportdesk.ui.runs.RunRow;
import dev.exportdesk.ui.schedule.ConsoleScheduler;
import dev.exportdesk.ui.shell.ShellView;
import dev.exportdesk.ui.shell.ShellViewModel.Screen;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;
import javafx.application.Platform;
import javafx.scene.control.Button;
import javafx.scene.control.TableView;
import javafx.scene.control.ToggleButton;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * A console attached to a team store (real PostgreSQL), with workers as child JVMs: Run now from the
 * console becomes a request a worker executes (this process runs nothing: the run's leases name the
 * workers only), the runs table shows the worker's run progressing from the store, the Workers view
 * lists the workers and, after the holder is SIGKILLed, the takeover; Cancel from the console stops
 * the worker's run.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class TeamConsoleFlowTest implements FxThreadBounds {
    // long enough (at 50 rows a chunk) that a worker on an idle machine cannot finish before the Cancel
    private static final int ROWS = 300_000;
    @TempDir
    static Path dir;
    private final RecordingDialogs dialogs = new RecordingDialogs();
    private TeamWorkers team;
    private Workspace workspace;
    private FxTaskRunner tasks;
    private Preferences prefs;
    private ShellView shell;
    private Stage stage;
    private GuardedEngine engine;

    @Start
    void start(Stage primary) throws Exception {
        stage = primary;
        SourceDb db = SourceDb.postgres();
        TeamWorkers.seedItems(db, ROWS);
        ObjectNode contract = Contracts.base("items", db, "items", dir.resolve("drop"));
        ((ObjectNode) contract.get("chunk")).put("max_rows", 50);
        Files.writeString(dir.resolve("items.json"), contract.toString());
        // due at once: the console's schedule must leave it to the workers
        ObjectNode due = Contracts.base("due", db, "items", dir.resolve("drop-due"));
        due.putObject("schedule").put("interval", "1m");
        Files.writeString(dir.resolve("due.json"), due.toString());
        team = new TeamWorkers(dir);
        assertThat(team.cli("import.log", 120, "contract", "import", dir.resolve("items.json").toString()))
                .as(team.log("import.log")).isZero();
        assertThat(team.cli("import-due.log", 120, "contract", "import", dir.resolve("due.json").toString()))
                .as(team.log("import-due.log")).isZero();

        workspace = Workspace.open(team.workspace(), team.env());
        UserService users = new UserService(workspace.store(), Clock.systemUTC());
        User admin = users.createFirstAdmin("admin", ConsoleFixture.PASSWORD.toCharArray());
        User operator = users.createUser(admin, "otis", Role.OPERATOR, ConsoleFixture.PASSWORD.toCharArray());
        EngineContext engineBase = EngineContext.forWorkspace(workspace, team.env(), Clock.systemUTC(), "console",
                millis -> { });
        tasks = new FxTaskRunner(4);
        prefs = ConsoleTestSupport.freshPrefs();
        engine = new GuardedEngine(operator, engineBase);
        ConsoleContext context = new ConsoleContext(workspace.root(), engine, tasks,
                dialogs, new RunEvents(Platform::runLater), Platform::runLater, Clock.systemUTC());
        shell = ConsoleWindow.show(primary, context, tasks, prefs);
    }

    @Test
    void runNowCancelAndTakeoverAreTheWorkersWork(FxRobot robot) throws Exception {
        var exports = shell.exports().model();
        await(20, "contracts listed", () -> exports.schedule().size() == 2);
        assertThat(fxGet(() -> robot.lookup("#workersTab").queryAs(ToggleButton.class).isVisible())).isTrue();
        assertThat(fxGet(() -> shell.scheduler().statusProperty().get())).isEqualTo(ConsoleScheduler.TEAM_MODE);

        // a due contract and the console's schedule looking: it starts nothing, the workers decide
        assertThat(engine.scheduledWork().runs()).containsExactly("due");
        fx(() -> shell.scheduler().tick());
        Thread.sleep(1000);
        assertThat(fxGet(() -> shell.scheduler().statusProperty().get())).isEqualTo(ConsoleScheduler.TEAM_MODE);
        assertThat(fxGet(() -> tasks.visibleTasks().size())).isZero();
        assertThat(engine.recentRuns(10)).isEmpty();
        engine.pauseSchedule("due", "only items runs in this test"); // the workers leave it alone too

        // Run now with no worker yet: the request waits, visibly
        fx(() -> exports.selectedContractProperty().set(exports.schedule().stream()
                .filter(c -> c.contract().equals("items")).findFirst().orElseThrow()));
        robot.clickOn("#runButton");
        await(20, "request asked", () -> String.valueOf(exports.requestLine())
                .equals("Run now of items asked — waiting for a worker"));
        assertThat(value("SELECT count(*) FROM run_requests WHERE kind = 'RUN' AND requested_by = 'otis'"))
                .isEqualTo("1");

        TeamWorkers.Worker a = team.start("a", "3s");
        await(60, "taken by worker a", () -> String.valueOf(exports.requestLine())
                .equals("Run now of items taken by worker a"));
        // the worker's progress reaches the runs table through the store
        Set<Integer> chunksSeen = new TreeSet<>();
        await(60, "the run progressing in the runs table", () -> {
            exports.runs().stream().filter(r -> r.run().state() == RunState.CAPTURING)
                    .map(r -> r.run().chunkCount()).filter(n -> n > 0).forEach(chunksSeen::add);
            return chunksSeen.size() >= 2;
        });
        assertThat(exports.runningContracts()).as("nothing runs in the console's process").isEmpty();
        assertThat(fxGet(() -> tasks.visibleTasks().size())).isZero();

        // the run's detail follows the worker's chunks from the store too
        String runId = fxGet(() -> exports.runs().get(0).run().id());
        fx(() -> shell.openRun(runId));
        Set<Integer> detailSeen = new TreeSet<>();
        await(30, "the run detail's chunks growing", () -> {
            detailSeen.add(shell.runDetail().model().chunks().size());
            return detailSeen.stream().filter(n -> n > 0).count() >= 2;
        });

        // the Workers view: the worker and what it holds
        fx(() -> shell.show(Screen.WORKERS));
        var workers = shell.workers().model();
        await(20, "worker a holding the run", () -> workers.workers().stream()
                .anyMatch(w -> w.name().equals("a") && w.holds().startsWith("items #1 (epoch 1)")
                        && w.heartbeat().endsWith(" s ago") && !w.silent()));
        // a table wider than its columns' preferred widths gives them the room: names were cut beside empty space
        assertThat(fxGet(() -> stage.getScene().lookup("#workersTable").getLayoutBounds().getWidth()))
                .as("the window is wider than the workers table's columns").isGreaterThan(920.0);
        assertThat(fxGet(() -> ((TableView<?>) stage.getScene().lookup("#workersTable")).getColumns().get(0)
                .getWidth())).as("the worker column grew past its preferred 140 px").isGreaterThan(150.0);

        // the holder dies; another worker takes the run over, and the view shows the takeover
        TeamWorkers.Worker b = team.start("b", "3s");
        await(60, "worker b listed", () -> workers.workers().stream().anyMatch(w -> w.name().equals("b")));
        a.signal("KILL");
        a.process().waitFor(10, TimeUnit.SECONDS);
        await(60, "takeover a → b shown", () -> workers.takeovers().stream()
                .anyMatch(t -> "a".equals(t.from()) && "b".equals(t.to()) && t.contract().equals("items")));
        await(20, "worker a silent", () -> workers.workers().stream()
                .anyMatch(w -> w.name().equals("a") && w.silent() && w.heartbeat().endsWith("— silent")));
        fx(() -> Screenshots.take(stage.getScene(), "team-workers"));

        // Cancel from the console: a request the worker running the run executes
        fx(() -> shell.show(Screen.EXPORTS));
        await(20, "run row", () -> exports.runs().stream().anyMatch(r -> r.run().state() == RunState.CAPTURING));
        fx(() -> exports.selectedRunProperty().set(exports.runs().stream()
                .filter(r -> r.run().state() == RunState.CAPTURING).findFirst().orElseThrow()));
        robot.clickOn("#cancelButton");
        await(60, "the worker stopped the run", () -> exports.runs().stream().map(RunRow::run)
                .anyMatch(r -> r.state() == RunState.FAILED && r.error() != null
                        && r.error().startsWith("cancelled by otis")));
        await(20, "cancel done", () -> String.valueOf(exports.requestLine()).startsWith("Cancel of items #1 done"));
        assertThat(TeamWorkers.await(b, "released run", 30)).as(b.output()).isTrue();

        // every claim of the run was a worker's: the console's process held no lease
        List<String> holders = new ArrayList<>();
        try (Connection c = team.store(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT holder, how FROM lease_history ORDER BY epoch")) {
            while (rs.next()) {
                holders.add(rs.getString(1) + "/" + rs.getString(2));
            }
        }
        assertThat(holders).startsWith("a/REQUEST").contains("b/TAKEOVER").allMatch(h -> h.startsWith("a/")
                || h.startsWith("b/"));
        assertThat(value("SELECT count(*) FROM audit_log WHERE actor = 'otis' AND action IN ('run.request.run', "
                + "'run.request.cancel')")).isEqualTo("2");
        assertThat(value("SELECT count(*) FROM audit_log WHERE action = 'run.start'"))
                .as("the console started no run itself").isEqualTo("0");
        // nor can it: every path that would execute a run in this process is refused
        String leases = value("SELECT count(*) FROM lease_history");
        assertThatThrownBy(() -> engine.run("items", p -> { })).hasMessageContaining("workers execute runs");
        assertThatThrownBy(() -> engine.resume("items", p -> { })).hasMessageContaining("workers execute runs");
        assertThat(value("SELECT count(*) FROM lease_history")).isEqualTo(leases);
    }

    private String value(String sql) throws Exception {
        try (Connection c = team.store(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @AfterEach
    void close() throws Exception {
        fx(() -> {
            shell.stop();
            stage.close();
            stage.setOnHiding(null); // TestFX reuses one primary stage across test classes
        });
        tasks.close();
        team.close();
        workspace.close();
        ConsoleTestSupport.dropPrefs(prefs);
    }
}
