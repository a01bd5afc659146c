package dev.exportdesk.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.ChildJvm;
import dev.exportdesk.testing.XDesktop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged app in a real window: Xvfb with openbox, {@code java -jar target/exportdesk.jar} (not
 * Monocle), a workspace prepared through the CLI with names of 60+ characters and some runs. The
 * administrator is created and signed in by typing into the real sign-in window; then, at
 * 1024×700 (light and dark) and at 1920×1080 (maximized), every main screen is shown by its
 * shortcut and photographed into target/screenshots/, and the console's layout report
 * ({@link LayoutReport}) must list no label, button or column heading drawn cut ("…") or past the
 * window's edge. Table cells may cut long data, but then hold it whole in their tooltip.
 * Runs in `mvn verify` after `package` (surefire execution "packaged-jars"); never skipped: without
 * the X tools it fails, naming the packages.
 */
@Timeout(value = 200, unit = TimeUnit.SECONDS)
class RealWindowSmokeIT {
    private static final String SOURCE = "warehouse-replica-of-the-northwind-wholesale-cooperative-europe";
    private static final String CONTRACT = "quarterly-settlement-lines-for-the-northwind-wholesale-coop-eu";
    /** Its run fails (its folder lies under a file), with a reason longer than any column. */
    private static final String FAILING = "nightly-returns-for-the-northwind-wholesale-cooperative-europe";
    private static final String PARTNER = "northwind-wholesale-cooperative-of-independent-grocers-in-europe";
    private static final String ADMIN = "maximilian.oberhausen-wittgenstein.data-platform-ops";
    private static final String PASSWORD = "correct-horse-battery-staple";
    /** Worker names are at most 64 characters; these are near it. */
    private static final String WORKER = "exportdesk-worker-on-the-northwind-batch-host-eu-central-07";
    private static final Path SHOTS = Path.of("target", "screenshots");
    /** Each screen, its shortcut, and a text it shows once its data has arrived (null: nothing to wait for). */
    private static final List<String[]> SCREENS = List.of(
            new String[] {"CONTRACTS", "ctrl+1", CONTRACT},
            new String[] {"EXPORTS", "ctrl+2", CONTRACT},
            new String[] {"DASHBOARD", "ctrl+3", null},
            new String[] {"AUDIT", "ctrl+4", ADMIN},
            new String[] {"USERS", "ctrl+5", ADMIN},
            new String[] {"SOURCES", "ctrl+6", SOURCE});

    @TempDir
    Path dir;

    private final Set<String> findings = new LinkedHashSet<>();
    private final long started = System.nanoTime();

    @Test
    void theMainScreensKeepTheirWordsInARealWindowAtBothSizes() throws Exception {
        assertThat(XDesktop.missingTools()).as("the real-window smoke test needs Xvfb, openbox, xdotool and "
                + "ImageMagick's import on PATH: apt-get install " + XDesktop.PACKAGES + " (.ci/run does)").isEmpty();
        Path jar = Path.of(System.getProperty("exportdesk.app.jar", "target/exportdesk.jar"));
        assertThat(jar).as("built by `mvn package`").isRegularFile();
        Path ws = prepareWorkspace(jar);
        log("workspace prepared");

        try (XDesktop d = XDesktop.start(1024, 700, dir.resolve("x")); RealConsole c = RealConsole.start(d, jar, ws,
                dir.resolve("console-1024"))) {
            String window = signIn(d, c, true);
            log("signed in at " + d.size());
            visitAll(d, c, window, d.size());
            c.key(window, "ctrl+shift+d");
            c.settled("the dark theme", 15, r -> RealConsole.mainWindow(r).path("dark").asBoolean());
            visitAll(d, c, window, d.size() + "-dark");
            assertThat(c.closeWindow(window)).as("the console ends when its window is closed").isTrue();
        }
        try (XDesktop d = XDesktop.start(1920, 1080, dir.resolve("x")); RealConsole c = RealConsole.start(d, jar, ws,
                dir.resolve("console-1920"))) {
            String window = signIn(d, c, false);
            log("signed in at " + d.size());
            maximize(d, c);
            visitAll(d, c, window, d.size());
            signOut(d, c, window);
        }
        assertThat(findings).as("labels cut or past the window's edge (screenshots in target/screenshots/)").isEmpty();
    }

    /**
     * Team mode in a real window at 1024×700 and 1920×1080 (maximized), light and dark: a console attached to a shared
     * PostgreSQL store where two workers (long names) shared a split first export, showing Exports and
     * Workers whole.
     */
    @Test
    void theTeamScreensKeepTheirWordsInARealWindow() throws Exception {
        assertThat(XDesktop.missingTools()).as("needs " + XDesktop.PACKAGES).isEmpty();
        Path jar = Path.of(System.getProperty("exportdesk.app.jar", "target/exportdesk.jar"));
        assertThat(jar).as("built by `mvn package`").isRegularFile();
        try (dev.exportdesk.testing.TeamWorkers team = new dev.exportdesk.testing.TeamWorkers(
                Files.createDirectories(dir.resolve("team")))) {
            dev.exportdesk.testing.SourceDb db = dev.exportdesk.testing.SourceDb.postgres();
            dev.exportdesk.testing.TeamWorkers.seedItems(db, 4000);
            com.fasterxml.jackson.databind.node.ObjectNode contract = dev.exportdesk.testing.Contracts.base(CONTRACT,
                    db, "items", dir.resolve("team-drop"));
            contract.put("partner", PARTNER);
            contract.putObject("backfill").put("max_workers", 2).put("segment_rows", 1000);
            Path file = Files.writeString(dir.resolve("team.json"), contract.toString());
            assertThat(team.cli("import.log", 120, "contract", "import", file.toString())).as(team.log("import.log"))
                    .isZero();
            dev.exportdesk.testing.TeamWorkers.Worker a = team.start(WORKER + "-a", "30s");
            team.start(WORKER + "-b", "30s");
            assertThat(team.cli("run.log", 150, "request", "run", CONTRACT, "--wait", "120s"))
                    .as(team.log("run.log") + a.output()).isZero();
            log("team store prepared");
            for (int[] size : new int[][] {{1024, 700}, {1920, 1080}}) {
                try (XDesktop d = XDesktop.start(size[0], size[1], dir.resolve("x")); RealConsole c = RealConsole.start(d,
                        jar, team.workspace(), dir.resolve("console-team-" + size[0]), team.env())) {
                    teamScreens(d, c, size[0] == 1024);
                }
            }
        }
        assertThat(findings).as("labels cut or past the window's edge (screenshots in target/screenshots/)").isEmpty();
    }

    /**
     * Log-based capture in a real window at 1024×700, light and dark: two logical contracts (long
     * names) copied and streamed through the CLI, then one's slot dropped behind the engine's back.
     * The dashboard shows the healthy slot and the lost one's "Re-sync required", whole.
     */
    @Test
    void theSlotHealthOfLogicalContractsKeepsItsWordsInARealWindow() throws Exception {
        assertThat(XDesktop.missingTools()).as("needs " + XDesktop.PACKAGES).isEmpty();
        Path jar = Path.of(System.getProperty("exportdesk.app.jar", "target/exportdesk.jar"));
        assertThat(jar).as("built by `mvn package`").isRegularFile();
        dev.exportdesk.testing.SourceDb db = dev.exportdesk.testing.SourceDb.logical();
        db.exec("CREATE TABLE settlement_lines (id BIGINT PRIMARY KEY, amount NUMERIC(12,2) NOT NULL, note TEXT)",
                "ALTER TABLE settlement_lines REPLICA IDENTITY FULL",
                "CREATE PUBLICATION northwind_settlements FOR TABLE settlement_lines",
                "INSERT INTO settlement_lines SELECT g, g * 1.25, 'line ' || g FROM generate_series(1, 2000) g");
        Path ws = dir.resolve("ws-logical");
        // slot names are the cluster's (shared by this JVM's tests): a suffix of their own, near the 63-byte limit
        String suffix = Long.toHexString(System.nanoTime());
        Map<String, String> slots = Map.of(CONTRACT, "northwind_settlement_lines_eu_central_" + suffix,
                FAILING, "northwind_nightly_returns_eu_central_" + suffix);
        for (Map.Entry<String, String> e : slots.entrySet()) {
            com.fasterxml.jackson.databind.node.ObjectNode contract = dev.exportdesk.testing.Contracts.base(e.getKey(),
                    db, "settlement_lines", dir.resolve("logical-drop"));
            contract.put("partner", PARTNER);
            Contracts.logical(contract, "northwind_settlements", e.getValue());
            cli(jar, ws, "contract", "import", Files.writeString(dir.resolve(e.getKey() + ".json"),
                    contract.toString()).toString());
            cli(jar, ws, "run", e.getKey());
        }
        db.exec("UPDATE settlement_lines SET amount = amount + 1 WHERE id <= 100",
                "DELETE FROM settlement_lines WHERE id > 1990");
        cli(jar, ws, "run", CONTRACT);
        db.exec("SELECT pg_drop_replication_slot('" + slots.get(FAILING) + "')");
        log("logical contracts prepared");
        try (XDesktop d = XDesktop.start(1024, 700, dir.resolve("x")); RealConsole c = RealConsole.start(d, jar, ws,
                dir.resolve("console-logical"))) {
            String window = signInPlainly(d, c, true);
            for (String theme : List.of("", "-dark")) {
                if (!theme.isEmpty()) {
                    c.key(window, "ctrl+shift+d");
                    c.settled("the dark theme", 15, r -> RealConsole.mainWindow(r).path("dark").asBoolean());
                }
                c.key(window, "ctrl+3");
                check(d.size() + theme + " logical DASHBOARD", c.settled("the dashboard with the lost slot", 30,
                        shown("DASHBOARD", "Re-sync required")));
                d.screenshot(SHOTS.resolve(d.size() + theme + "-logical-dashboard.png"));
                c.key(window, "ctrl+2");
                check(d.size() + theme + " logical EXPORTS", c.settled("logical EXPORTS", 20, shown("EXPORTS", CONTRACT)));
                d.screenshot(SHOTS.resolve(d.size() + theme + "-logical-exports.png"));
                log(d.size() + theme + " logical screens settled");
            }
            assertThat(c.closeWindow(window)).as("the console ends when its window is closed").isTrue();
        }
        assertThat(findings).as("labels cut or past the window's edge (screenshots in target/screenshots/)").isEmpty();
    }

    /**
     * Signs in (creating the administrator the first time) without the checks and photographs of
     * {@link #signIn}; returns the console window's id.
     */
    private String signInPlainly(XDesktop d, RealConsole c, boolean firstStart) throws Exception {
        String login = d.window("ExportDesk — sign in", 40);
        c.settled("the sign-in form", 20, r -> RealConsole.shows(RealConsole.mainWindow(r),
                firstStart ? "Create administrator" : "Sign in"));
        c.key(login, "ctrl+a");
        c.type(ADMIN);
        c.key(login, "Tab");
        c.type(PASSWORD);
        if (firstStart) {
            c.key(login, "Tab");
            c.type(PASSWORD);
        }
        c.key(login, "Return");
        c.settled("the console after sign-in", 40, r -> !"SIGN_IN".equals(r.path("screen").asText()));
        return d.window("ExportDesk — .* — " + ADMIN.replace(".", "\\."), 20);
    }

    /** Signs in to the team console (creating the administrator the first time) and photographs its screens. */
    private void teamScreens(XDesktop d, RealConsole c, boolean firstStart) throws Exception {
        String window = signInPlainly(d, c, firstStart);
        if (!firstStart) {
            maximize(d, c);
        }
        for (String theme : List.of("", "-dark")) {
            if (!theme.isEmpty()) {
                c.key(window, "ctrl+shift+d");
                c.settled("the dark theme", 15, r -> RealConsole.mainWindow(r).path("dark").asBoolean());
            }
            c.key(window, "ctrl+2");
            check(d.size() + theme + " team EXPORTS", c.settled("team EXPORTS", 20, shown("EXPORTS", CONTRACT)));
            d.screenshot(SHOTS.resolve(d.size() + theme + "-team-exports.png"));
            c.key(window, "ctrl+8");
            check(d.size() + theme + " team WORKERS", c.settled("team WORKERS", 20, shown("WORKERS", WORKER + "-b")));
            d.screenshot(SHOTS.resolve(d.size() + theme + "-team-workers.png"));
            log(d.size() + theme + " team screens settled");
        }
        assertThat(c.closeWindow(window)).as("the console ends when its window is closed").isTrue();
    }

    /** Where the time goes (the test's output file): the whole test should stay near a minute and a half. */
    private void log(String step) {
        System.out.printf("%6.1f s  %s%n", (System.nanoTime() - started) / 1e9, step);
    }

    /**
     * Through the CLI in child JVMs, as an operator would: the demo, a long-named source, contract
     * and partner, a run of it, and a failed run of another (the console offers to resume it at start).
     */
    private Path prepareWorkspace(Path jar) throws Exception {
        Path ws = dir.resolve("ws");
        cli(jar, ws, "demo", "--orders", "300", "--customers", "30");
        Path sample = dir.resolve("ws-sample");
        cli(jar, ws, "source", "add", SOURCE, "--jdbc-url", "jdbc:h2:file:" + sample.resolve("shop"), "--user",
                "reader");
        Path contract = Files.writeString(dir.resolve("long.json"), """
                {"name": "%s", "partner": "%s",
                 "description": "Settlement lines for the Northwind wholesale cooperative's quarterly reconciliation.",
                 "source": "%s", "table": "orders", "key_columns": ["id"], "cursor_columns": ["updated_at"],
                 "format": "jsonl", "compression": "zstd",
                 "destination": {"type": "folder", "path": "%s"},
                 "schedule": {"interval": "1d"}, "late_data": {"safety_lag": "0s", "lookback": "15m"},
                 "slo": {"max_delivery_lag": "1h"}}
                """.formatted(CONTRACT, PARTNER, SOURCE, sample.resolve("partner-drop")));
        Path failing = Files.writeString(dir.resolve("failing.json"), """
                {"name": "%s", "partner": "%s", "source": "demo-shop", "table": "orders",
                 "key_columns": ["id"], "cursor_columns": ["updated_at"], "format": "jsonl", "compression": "zstd",
                 "destination": {"type": "folder", "path": "%s"}, "retry": {"max_attempts": 1}}
                """.formatted(FAILING, PARTNER, sample.resolve("shop.mv.db").resolve("returns")));
        cli(jar, ws, "contract", "import", contract.toString(), failing.toString());
        cli(jar, ws, "run", "-q", CONTRACT);
        cli(jar, ws, 1, "run", "-q", FAILING);
        return ws;
    }

    private void cli(Path jar, Path ws, String... args) throws Exception {
        cli(jar, ws, 0, args);
    }

    private void cli(Path jar, Path ws, int expected, String... args) throws Exception {
        Path out = Files.createTempFile(dir, "cli", ".out");
        String[] all = new String[args.length + 2];
        all[0] = "--workspace";
        all[1] = ws.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        // short commands: the client compiler alone starts them about a quarter sooner
        int code = ChildJvm.runJar(jar, List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"), out, 60, all);
        assertThat(code).as(List.of(args) + ": " + Files.readString(out)).isEqualTo(expected);
    }

    /** Types the user and password into the real sign-in window; returns the console window's id. */
    private String signIn(XDesktop d, RealConsole c, boolean firstStart) throws Exception {
        String login = d.window("ExportDesk — sign in", 40);
        Map<String, Integer> g = d.geometry(login);
        // under openbox the window was once mapped at 200x200, clipping the password fields
        assertThat(g.get("WIDTH")).as("sign-in window width at " + d.size()).isGreaterThanOrEqualTo(400);
        assertThat(g.get("HEIGHT")).as("sign-in window height at " + d.size()).isGreaterThanOrEqualTo(320);
        JsonNode form = c.settled("the sign-in form", 20, r -> RealConsole.shows(RealConsole.mainWindow(r),
                firstStart ? "Create administrator" : "Sign in"));
        check(d.size() + " sign-in", form);
        d.screenshot(SHOTS.resolve(d.size() + "-sign-in.png"));
        c.key(login, "ctrl+a");
        c.type(ADMIN);
        c.key(login, "Tab");
        c.type(PASSWORD);
        if (firstStart) {
            c.key(login, "Tab");
            c.type(PASSWORD);
        }
        c.key(login, "Return");
        JsonNode shell = c.settled("the console after sign-in", 40, r -> !"SIGN_IN".equals(r.path("screen").asText())
                && RealConsole.shows(RealConsole.mainWindow(r), CONTRACT));
        declineResume(d, c);
        JsonNode main = RealConsole.mainWindow(shell);
        assertThat(main.path("x").asDouble()).as("console window's left edge").isGreaterThanOrEqualTo(0);
        assertThat(main.path("y").asDouble()).as("console window's top edge").isGreaterThanOrEqualTo(0);
        assertThat(main.path("x").asDouble() + main.path("width").asDouble()).as("console window's right edge")
                .isLessThanOrEqualTo(d.width());
        assertThat(main.path("y").asDouble() + main.path("height").asDouble()).as("console window's bottom edge")
                .isLessThanOrEqualTo(d.height());
        assertThat(main.path("width").asDouble()).as("console window's width").isGreaterThanOrEqualTo(
                Math.min(1280, d.width()) - 10);
        return d.window("ExportDesk — .* — " + ADMIN.replace(".", "\\."), 20);
    }

    /** The offer to resume the failed run, at each start: checked, photographed and declined with Esc. */
    private void declineResume(XDesktop d, RealConsole c) throws Exception {
        String title = "Unfinished runs found";
        JsonNode offer = c.settled("the offer to resume " + FAILING, 20, r -> RealConsole.window(r, title) != null);
        check(d.size() + " resume offer", offer);
        d.screenshot(SHOTS.resolve(d.size() + "-resume-offer.png"));
        c.key(d.window(title, 10), "Escape");
        c.settled("the offer declined", 10, r -> RealConsole.window(r, title) == null);
    }

    /** Sign out (Users screen): the sign-in window comes back, whole, for the next person. */
    private void signOut(XDesktop d, RealConsole c, String window) throws Exception {
        c.key(window, "ctrl+5");
        JsonNode users = RealConsole.mainWindow(c.settled("USERS to sign out", 20, shown("USERS", ADMIN)));
        c.click(users, RealConsole.control(users, "Sign out"));
        JsonNode form = c.settled("the sign-in window after sign-out", 20,
                r -> "SIGN_IN".equals(r.path("screen").asText())
                        && RealConsole.shows(RealConsole.mainWindow(r), "Sign in"));
        check(d.size() + " sign-in after sign-out", form);
        Map<String, Integer> g = d.geometry(d.window("ExportDesk — sign in", 10));
        assertThat(g.get("WIDTH")).as("sign-in window width after sign-out").isGreaterThanOrEqualTo(400);
        assertThat(g.get("HEIGHT")).as("sign-in window height after sign-out").isGreaterThanOrEqualTo(320);
        d.screenshot(SHOTS.resolve(d.size() + "-signed-out.png"));
        log("signed out");
    }

    /** Double-clicks the console's title bar: openbox maximizes it. */
    private void maximize(XDesktop d, RealConsole c) throws Exception {
        JsonNode main = RealConsole.mainWindow(c.report());
        long x = Math.round(main.path("x").asDouble() + main.path("width").asDouble() / 2);
        long y = Math.round(main.path("y").asDouble() + main.path("sceneY").asDouble() / 2);
        d.xdotool("mousemove", String.valueOf(x), String.valueOf(y), "click", "--repeat", "2", "1");
        c.settled("the maximized console", 15,
                r -> RealConsole.mainWindow(r).path("width").asDouble() >= d.width() - 4);
    }

    private void visitAll(XDesktop d, RealConsole c, String window, String size) throws Exception {
        for (String[] screen : SCREENS) {
            c.key(window, screen[1]);
            JsonNode r = c.settled(screen[0] + " at " + size, 20, shown(screen[0], screen[2]));
            check(size + " " + screen[0], r);
            d.screenshot(SHOTS.resolve(size + "-" + screen[0].toLowerCase() + ".png"));
            log(size + " " + screen[0] + " settled");
            if (screen[0].equals("EXPORTS")) {
                openRun(d, c, size, r);
            } else if (screen[0].equals("CONTRACTS")) {
                c.key(window, "ctrl+n");
                check(size + " contract editor", c.settled("the contract editor at " + size, 20,
                        shown("CONTRACTS", "New contract")));
                d.screenshot(SHOTS.resolve(size + "-contract-editor.png"));
            }

        }
    }

    /** The run detail of the long-named contract's latest run, opened by a double-click on it in the runs table. */
    private void openRun(XDesktop d, RealConsole c, String size, JsonNode exports) throws Exception {
        JsonNode main = RealConsole.mainWindow(exports);
        JsonNode cell = null;
        for (JsonNode l : main.path("labels")) {
            // its lowest row in the runs table, newest first: run #1, the one with a chunk
            if ("rContract".equals(l.path("id").asText()) && CONTRACT.equals(l.path("text").asText())
                    && (cell == null || l.path("y").asDouble() > cell.path("y").asDouble())) {
                cell = l;
            }
        }
        assertThat(cell).as("the runs table lists " + CONTRACT + " at " + size).isNotNull();
        c.doubleClick(main, cell.path("x").asDouble() + cell.path("w").asDouble() / 2, cell.path("y").asDouble() + 8);
        log(size + " run double-clicked");
        JsonNode r = c.settled("RUN at " + size, 20, shown("RUN", "#1"));
        check(size + " RUN", r);
        d.screenshot(SHOTS.resolve(size + "-run.png"));
    }

    private static java.util.function.Predicate<JsonNode> shown(String screen, String text) {
        return r -> screen.equals(r.path("screen").asText())
                && (text == null || RealConsole.shows(RealConsole.mainWindow(r), text));
    }

    /**
     * Notes every label drawn cut or past its window's edge. Table cells may cut long data but must
     * then hold it whole in their tooltip; a column heading scrolled past the window's edge is
     * clipped by its table, which scrolls to it; the status bar's workspace path gives way by design,
     * whole in its tooltip (docs/console.md).
     */
    private void check(String where, JsonNode report) {
        for (JsonNode w : report.path("windows")) {
            for (JsonNode l : w.path("labels")) {
                boolean cut = l.path("cut").asBoolean();
                boolean tip = l.path("tooltipHoldsText").asBoolean();
                String what = l.path("kind").asText() + (l.has("id") ? " #" + l.path("id").asText() : "") + " \""
                        + l.path("text").asText() + "\" drawn as \"" + l.path("shown").asText() + "\"";
                if (l.path("tableCell").asBoolean()) {
                    if (cut && !tip) {
                        findings.add(where + ": table cell cut without a tooltip: " + what);
                    }
                } else if (l.path("pastEdge").asBoolean() && !l.path("scrolls").asBoolean()) {
                    findings.add(where + ": past the edge of \"" + w.path("title").asText() + "\": " + what);
                } else if (cut && !("workspaceLabel".equals(l.path("id").asText()) && tip)) {
                    findings.add(where + ": cut: " + what);
                }
            }
        }
    }
}
