package dev.exportdesk.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.exportdesk.access.GuardedEngine;
import dev.exportdesk.access.User;
import dev.exportdesk.access.UserService;
import dev.exportdesk.engine.EngineContext;
import dev.exportdesk.engine.runs.RunProgress;
import dev.exportdesk.store.RunMode;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.store.RunState;
import dev.exportdesk.store.Workspace;
import dev.exportdesk.testing.ChildJvm;
import dev.exportdesk.testing.Contracts;
import dev.exportdesk.testing.SourceDb;
import dev.exportdesk.testing.TestEngine;
import dev.exportdesk.ui.ConsoleContext;
import dev.exportdesk.ui.ConsoleWindow;
import dev.exportdesk.ui.DialogService;
import dev.exportdesk.ui.FxTaskRunner;
import dev.exportdesk.ui.RunEvents;
import dev.exportdesk.ui.runs.ExportsViewModel;
import dev.exportdesk.ui.runs.RunDetailViewModel;
import dev.exportdesk.ui.shell.ShellView;
import dev.exportdesk.ui.shell.ShellViewModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.prefs.Preferences;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;

/**
 * Benchmark (not a test): console responsiveness. Opens a 100,000-chunk run in a fresh console;
 * then exports an N-row PostgreSQL table from the console with the Exports screen (runs table, task
 * view) and, in a second window (the console's New window), the running run's chunk table open, recording every JavaFX pulse and
 * reporting the gaps per phase (runs view only, opening the chunk table, both open), the FX and
 * render threads' CPU and a profile of it; then opens the 100,000-chunk run three more times.
 * Headless (Monocle, software rendering). Run with {@code .ci/bench console [ROWS]}; see BENCHMARKS.md.
 */
public final class ConsoleBenchmark {
    private static final int BIG_RUN_CHUNKS = 100_000;

    private ConsoleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 5_000_000L;
        System.setProperty("glass.platform", "Monocle");
        System.setProperty("monocle.platform", "Headless");
        System.setProperty("prism.order", "sw");
        Path dir = Files.createTempDirectory("exportdesk-console-bench");
        SourceDb db = SourceDb.postgres();
        BenchFiles.loadOrders(db, rows);
        ObjectNode contract = Contracts.base("bench", db, "orders", dir.resolve("drop"));
        ((ObjectNode) contract.get("chunk")).put("max_rows", 5_000);
        contract.put("fetch_size", 5000);

        try (Workspace ws = Workspace.open(dir.resolve("ws"))) {
            UserService users = new UserService(ws.store(), Clock.systemUTC());
            User admin = users.createFirstAdmin("admin", "benchmark password".toCharArray());
            EngineContext base = EngineContext.forWorkspace(ws, Map.of(), Clock.systemUTC(), "console",
                    EngineContext.Sleeper.REAL);
            GuardedEngine engine = new GuardedEngine(admin, base);
            engine.importContract(contract.toString(), "bench.json");
            // a finished run with 100,000 chunks, of another contract, to open in the console
            engine.importContract(Contracts.base("archive", db, "orders", dir.resolve("archive")).toString(),
                    "archive.json");
            String bigRun = "00000000-0000-0000-0000-00000000b100";
            Instant now = Instant.now();
            ws.store().update(c -> {
                ws.store().runs().insert(c, new RunRecord(bigRun, "archive", 1, 1, RunMode.INCREMENTAL,
                        RunState.COMPLETED,
                        now, now, null, null, null, null, 0, 0, 0, 1, null, null, null, now));
                insertChunks(c, bigRun, BIG_RUN_CHUNKS, now);
            });

            CountDownLatch started = new CountDownLatch(1);
            Platform.startup(started::countDown);
            started.await();
            FxTaskRunner tasks = new FxTaskRunner(4);
            ConsoleContext ctx = new ConsoleContext(ws.root(), engine, tasks, new QuietDialogs(),
                    new RunEvents(Platform::runLater), Platform::runLater, Clock.systemUTC());
            Preferences prefs = Preferences.userRoot().node("dev/exportdesk/bench");
            prefs.putDouble("window.width", 1280);
            prefs.putDouble("window.height", 800);
            prefs.put("screen", "EXPORTS");
            PulseRecorder pulses = new PulseRecorder();
            AtomicReference<ShellView> shell = new AtomicReference<>();
            AtomicReference<RunDetailViewModel> detail = new AtomicReference<>();
            java.util.concurrent.atomic.AtomicLong detailOpenedAt = new java.util.concurrent.atomic.AtomicLong();
            onFx(() -> {
                ShellView s = ConsoleWindow.show(new Stage(), ctx, tasks, prefs);
                shell.set(s);
                pulses.keepPulsing();
            });
            ExportsViewModel exports = shell.get().exports().model();
            // A person starts an export only once the console is on screen: let its first frames
            // (a fresh JVM's class loading and first CSS pass) finish before the export starts.
            long consoleShown = System.nanoTime();
            pulses.start();
            long settled = pulses.awaitSettled(Duration.ofSeconds(1), Duration.ofSeconds(20));
            System.out.printf("console start: on screen and settled after %.2f s; %s%n",
                    (settled - consoleShown) / 1e9, pulses.summary(consoleShown, settled));
            // the first open in a fresh console: nothing of the run detail screen loaded or compiled yet
            long coldFrom = System.nanoTime();
            long[] cold = open(shell, bigRun);
            System.out.printf("open a run with 100,000 chunks in a fresh console: screen built in %d ms, first page in the "
                    + "model after %d ms, first rows painted after %d ms, all chunks loaded after %d ms; %s%n", cold[3],
                    cold[0], cold[1], cold[2],
                    pulses.summary(coldFrom, System.nanoTime()));
            System.out.print(pulses.longest(2, coldFrom, System.nanoTime()));
            onFx(() -> shell.get().show(ShellViewModel.Screen.EXPORTS));
            pulses.awaitSettled(Duration.ofSeconds(1), Duration.ofSeconds(20));
            // when the run starts, open its chunk table in a second window
            java.util.concurrent.atomic.AtomicLong detailPaintedAt = new java.util.concurrent.atomic.AtomicLong();
            ctx.events().subscribe(new RunEvents.Listener() {
                @Override
                public void onProgress(RunProgress p) {
                    if (detail.get() == null) {
                        detailOpenedAt.set(System.nanoTime());
                        // the console's own "New window": the run's chunk table beside the runs view
                        RunDetailViewModel vm = shell.get().openRunInWindow(p.runId());
                        detail.set(vm);
                        List<Stage> windows = shell.get().runWindows();
                        whenRowsPainted(windows.get(windows.size() - 1).getScene(), () -> !vm.chunks().isEmpty(),
                                detailPaintedAt::set);
                    }
                }

                @Override
                public void onRunEnded(String c) {
                }
            });
            // the target's baseline: the CLI exporting the same table with the same contract, in its own
            // JVM (start included, as an operator runs it), once before and once after the console's
            List<Double> cli = new ArrayList<>();
            cli.add(cliExport(dir, contract, "cli-before"));
            long t0 = System.nanoTime();
            onFx(() -> exports.runNow("bench"));
            long[] cpuFrom = null;
            long cpuFromAt = 0;
            while (true) {
                Thread.sleep(200);
                if (cpuFrom == null && detailPaintedAt.get() != 0) {
                    cpuFrom = pulses.cpuNanos();
                    cpuFromAt = System.nanoTime();
                    pulses.profiling = true;
                }
                boolean done = onFxGet(() -> !exports.isRunning("bench") && !exports.runs().isEmpty()
                        && exports.runs().get(0).run().state() == RunState.COMPLETED);
                if (done) {
                    break;
                }
            }
            long t1 = System.nanoTime();
            double seconds = (t1 - t0) / 1e9;
            pulses.stop();
            RunRecord run = onFxGet(() -> exports.runs().get(0).run());
            int chunkRows = onFxGet(() -> detail.get() == null ? 0 : detail.get().allChunks().size());
            System.out.printf("export: %,d rows, %,d chunks in %.1f s (%,.0f rows/s) with the Exports screen and the "
                    + "run's chunk table (%,d rows shown) open%n", run.rowCount(), run.chunkCount(), seconds,
                    run.rowCount() / seconds, chunkRows);
            cli.add(cliExport(dir, contract, "cli-after"));
            double cliSeconds = (cli.get(0) + cli.get(1)) / 2;
            System.out.printf("CLI export of the same table (own JVM, start included): %.1f s and %.1f s, mean %.1f s "
                    + "(%,.0f rows/s)%nratio (console rows/s ÷ CLI rows/s): %.2f%n", cli.get(0), cli.get(1), cliSeconds,
                    run.rowCount() / cliSeconds, cliSeconds / seconds);
            long opened = detailOpenedAt.get();
            // the window is open once the frame with its first rows is drawn: at the pulse after that layout
            long shown = detailPaintedAt.get() == 0 ? t1 : pulses.firstPulseAfter(detailPaintedAt.get());
            System.out.printf("  runs view only (0.00–%.2f s): %s%n", (opened - t0) / 1e9, pulses.summary(t0, opened));
            System.out.printf("  opening the chunk table window (%.2f–%.2f s, first rows painted after %.0f ms): %s%n",
                    (opened - t0) / 1e9, (shown - t0) / 1e9, (shown - opened) / 1e6, pulses.summary(opened, shown));
            System.out.printf("  both open, the target phase (%.2f–%.2f s): %s%n", (shown - t0) / 1e9, seconds,
                    pulses.summary(shown, t1));
            if (cpuFrom != null) {
                // CPU time the FX and render threads used, per second: our work on them, whatever the load
                long[] cpuTo = pulses.cpuNanos();
                double wall = (System.nanoTime() - cpuFromAt) / 1e9;
                pulses.profiling = false;
                System.out.printf("  CPU per second with both open: FX thread %.0f ms, render thread %.0f ms; "
                        + "where it went (20 ms samples of the runnable threads):%n%s",
                        (cpuTo[0] - cpuFrom[0]) / 1e6 / wall, (cpuTo[1] - cpuFrom[1]) / 1e6 / wall,
                        pulses.profileSummary());
            }
            System.out.print("longest gaps of the whole export, with what the FX thread and the renderer were doing "
                    + "(20 ms samples while a pulse was 100 ms overdue):\n" + pulses.longest(8, t0, t1));
            long gcMillis = java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                    .mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionTime).sum();
            System.out.printf("GC time so far: %,d ms%n", gcMillis);
            onFx(() -> {
                for (javafx.stage.Window w : javafx.stage.Window.getWindows()) {
                    System.out.print("layered large backgrounds in a " + (int) w.getWidth() + "x" + (int) w.getHeight()
                            + " window:" + layered(w.getScene().getRoot()) + "\n");
                }
            });

            long opensFrom = System.nanoTime();
            pulses.start();
            List<Long> first = new ArrayList<>();
            List<Long> full = new ArrayList<>();
            List<Long> firstAppend = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                long[] t = open(shell, bigRun);
                firstAppend.add(t[0]);
                first.add(t[1]);
                full.add(t[2]);
            }
            System.out.printf("open a run with 100,000 chunks: first page in the model after %s ms, first rows painted "
                    + "after %s ms, all chunks loaded after %s ms (3 more opens, after the export)%n", firstAppend, first, full);
            System.out.println("pulses while opening: " + pulses.summary(opensFrom, System.nanoTime()));
            System.out.print("longest gaps while opening:\n" + pulses.longest(4, opensFrom, System.nanoTime()));
            System.out.printf("machine: %d cores, Java %s, %s%n", Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"), System.getProperty("os.name"));
            prefs.removeNode();
            onFx(Platform::exit);
            tasks.close();
        }
        // the delivered files of a 5,000,000-row run and the workspace: hundreds of MB per run
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        System.exit(0);
    }

    /** Seconds the CLI takes to export {@code contract} into a workspace and drop of its own. */
    private static double cliExport(Path dir, ObjectNode contract, String name) throws Exception {
        ObjectNode copy = contract.deepCopy();
        ((ObjectNode) copy.get("destination")).put("path", dir.resolve("drop-" + name).toString());
        Path ws = dir.resolve("ws-" + name);
        try (TestEngine t = TestEngine.open(ws)) {
            t.importContract(copy.toString());
        }
        long t0 = System.nanoTime();
        int code = ChildJvm.run(dir.resolve(name + ".log"), List.of("-Xmx256m"), 3600, "--workspace", ws.toString(),
                "run", "bench", "-q");
        if (code != 0) {
            throw new IllegalStateException("CLI export failed: " + Files.readString(dir.resolve(name + ".log")));
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /**
     * Regions of at least 200x100 px whose background has several fills, insets or radii: JavaFX
     * draws those from a cached image in slices, which the software renderer does slowly.
     */
    private static String layered(javafx.scene.Parent root) {
        StringBuilder out = new StringBuilder();
        java.util.ArrayDeque<javafx.scene.Node> todo = new java.util.ArrayDeque<>(List.of(root));
        while (!todo.isEmpty()) {
            javafx.scene.Node n = todo.pop();
            if (n instanceof javafx.scene.Parent p) {
                todo.addAll(p.getChildrenUnmodifiable());
            }
            if (n.getEffect() != null && n.isVisible()) {
                // effects are drawn off-screen and composited: slow in the software renderer
                out.append(" effect ").append(n.getEffect().getClass().getSimpleName()).append(" on ")
                        .append(n.getClass().getSimpleName()).append(n.getStyleClass()).append(';');
            }
            if (n instanceof javafx.scene.layout.Region r && r.isVisible() && r.getWidth() >= 200
                    && r.getHeight() >= 100 && r.getBackground() != null) {
                var fills = r.getBackground().getFills();
                boolean layered = fills.size() > 1 || fills.stream().anyMatch(f -> !f.getInsets().equals(
                        javafx.geometry.Insets.EMPTY) || !f.getRadii().equals(javafx.scene.layout.CornerRadii.EMPTY));
                if (layered) {
                    out.append(" ").append(r.getClass().getSimpleName()).append(r.getStyleClass()).append(' ')
                            .append((int) r.getWidth()).append('x').append((int) r.getHeight()).append(" (")
                            .append(fills.size()).append(" fills);");
                }
            }
        }
        return out.toString();
    }

    private static void insertChunks(java.sql.Connection c, String run, int n, Instant now) throws java.sql.SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO chunks(run_id, seq, state, file_name, row_count, "
                + "byte_count, sha256, cursor_from, cursor_to, attempts, updated_at) VALUES (?, ?, 'DELIVERED', ?, 5000, "
                + "150000, ?, ?, ?, 1, ?)")) {
            for (int seq = 1; seq <= n; seq++) {
                st.setString(1, run);
                st.setInt(2, seq);
                st.setString(3, String.format("chunk-%06d.jsonl.zst", seq));
                st.setString(4, String.format("%064x", seq));
                st.setString(5, "[\"2024-01-01T00:00:00.000000Z\"," + seq * 5000 + "]");
                st.setString(6, "[\"2024-01-01T00:00:00.000000Z\"," + (seq * 5000 + 4999) + "]");
                st.setObject(7, now.atOffset(ZoneOffset.UTC));
                st.addBatch();
                if (seq % 5000 == 0) {
                    st.executeBatch();
                }
            }
            st.executeBatch();
        }
    }

    /** Timestamps of every pulse of the watched scenes, and the gaps between them. */
    private static final class PulseRecorder {
        private final List<Long> gaps = Collections.synchronizedList(new ArrayList<>());
        /** When each gap ended (nanoTime), to tell what the FX thread was doing during the longest ones. */
        private final List<Long> ends = Collections.synchronizedList(new ArrayList<>());
        private volatile boolean on;
        private long last;

        /**
         * An animation timer asks for a pulse every frame and is called on each one, so a gap longer
         * than a frame (16.7 ms) is time the FX thread was busy.
         */
        /** Stack samples of the FX thread and the renderer taken while a pulse is overdue: when, and top frames. */
        private final List<Map.Entry<Long, String>> samples = Collections.synchronizedList(new ArrayList<>());
        private volatile Thread fxThread;
        private volatile Thread renderer;
        /** Whether the sampler also profiles the FX and render threads (see {@link #profile}). */
        volatile boolean profiling;
        private final Map<String, Integer> profile = new java.util.concurrent.ConcurrentHashMap<>();

        /**
         * Every 20 ms, if no pulse came for 100 ms, samples what the FX thread and the render thread
         * are doing (their top frames in our code or JavaFX's), so the report says where the long gaps go.
         */
        void sampleOverdue() {
            Thread sampler = new Thread(() -> {
                while (true) {
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                    Thread fx = fxThread;
                    if (fx == null || !on) {
                        continue;
                    }
                    Thread renderer = renderThread();
                    if (profiling) {
                        profile("FX thread", fx);
                        profile("render thread", renderer);
                    }
                    if (last != 0 && System.nanoTime() - last > 100_000_000L) {
                        sample("fx", fx);
                        sample("renderer", renderer);
                    }
                }
            }, "pulse-sampler");
            sampler.setDaemon(true);
            sampler.start();
        }

        private Thread renderThread() {
            if (renderer == null) {
                renderer = Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> t.getName().startsWith("QuantumRenderer")).findFirst().orElse(null);
            }
            return renderer;
        }

        /**
         * What a running FX or render thread is doing, by kind of work: a profile of where their
         * CPU goes (each sample is 20 ms of wall time in which the thread was runnable).
         */
        private void profile(String which, Thread thread) {
            if (thread == null || thread.getState() != Thread.State.RUNNABLE) {
                return;
            }
            String kind = "other JavaFX";
            for (StackTraceElement e : thread.getStackTrace()) {
                String at = e.getClassName() + "." + e.getMethodName();
                if (at.contains("Framebuffer.composePixels") || at.contains("uploadPixels")) {
                    kind = "copying frames to Monocle's headless screen";
                    break;
                }
                if (at.startsWith("dev.exportdesk")) {
                    kind = "ExportDesk code";
                    break;
                }
                if (at.contains("CssStyleHelper") || at.contains("doProcessCSS")) {
                    kind = "CSS";
                    break;
                }
                if (at.contains("layoutChildren") || at.contains("Parent.layout")) {
                    kind = "layout";
                    break;
                }
                if (at.startsWith("com.sun.prism") || at.startsWith("com.sun.javafx.sg.prism")
                        || at.startsWith("com.sun.marlin") || at.startsWith("com.sun.openpisces")) {
                    kind = "drawing (software renderer)";
                    break;
                }
            }
            profile.merge(which + ": " + kind, 1, Integer::sum);
        }

        /** The profile taken while {@link #profiling}, largest first. */
        String profileSummary() {
            StringBuilder out = new StringBuilder();
            profile.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).forEach(e ->
                    out.append(String.format("      %s: %d samples%n", e.getKey(), e.getValue())));
            return out.toString();
        }

        private void sample(String which, Thread thread) {
            if (thread == null) {
                return;
            }
            StackTraceElement[] st = thread.getStackTrace();
            StringBuilder key = new StringBuilder(which + " " + thread.getState());
            int shown = 0;
            for (StackTraceElement e : st) {
                String c = e.getClassName();
                if (shown < 6 && (shown < 2 || c.startsWith("dev.exportdesk") || c.startsWith("javafx.scene")
                        || c.startsWith("com.sun.javafx.scene") || c.startsWith("com.sun.prism")
                        || c.startsWith("com.sun.javafx.sg") || c.startsWith("com.sun.openpisces")
                        || c.startsWith("com.sun.marlin"))) {
                    key.append(" < ").append(c.substring(c.lastIndexOf('.') + 1)).append('.')
                            .append(e.getMethodName());
                    shown++;
                }
            }
            samples.add(Map.entry(System.nanoTime(), key.toString()));
        }

        /** The {@code n} most frequent samples taken in (from, to], one per line. */
        private String samplesBetween(long from, long to, int n) {
            Map<String, Integer> counts = new java.util.HashMap<>();
            synchronized (samples) {
                samples.stream().filter(e -> e.getKey() > from && e.getKey() <= to)
                        .forEach(e -> counts.merge(e.getValue(), 1, Integer::sum));
            }
            StringBuilder out = new StringBuilder();
            counts.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(n)
                    .forEach(e -> out.append("      ").append(e.getValue()).append(" × ").append(e.getKey())
                            .append('\n'));
            return out.toString();
        }

        /** CPU time used so far by the FX thread and by the render thread (nanoseconds). */
        long[] cpuNanos() {
            java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
            Thread r = renderThread();
            return new long[] {mx.getThreadCpuTime(fxThread.getId()), r == null ? 0 : mx.getThreadCpuTime(r.getId())};
        }

        void keepPulsing() {
            fxThread = Thread.currentThread();
            sampleOverdue();
            new javafx.animation.AnimationTimer() {
                @Override
                public void handle(long now) {
                    long t = System.nanoTime();
                    if (on && last != 0) {
                        gaps.add(t - last);
                        ends.add(t);
                    }
                    last = t;
                }
            }.start();
        }

        void start() {
            on = true;
        }

        void stop() {
            on = false;
        }

        /** Waits until no gap over 50 ms for {@code quiet}, at most {@code max}; returns when (nanoTime). */
        long awaitSettled(Duration quiet, Duration max) throws InterruptedException {
            long deadline = System.nanoTime() + max.toNanos();
            while (System.nanoTime() < deadline) {
                Thread.sleep(50);
                long now = System.nanoTime();
                long since = now - quiet.toNanos();
                boolean calm;
                synchronized (gaps) {
                    calm = !ends.isEmpty() && ends.get(0) < since;
                    for (int i = ends.size() - 1; calm && i >= 0 && ends.get(i) >= since; i--) {
                        calm = gaps.get(i) <= 50_000_000L;
                    }
                }
                if (calm) {
                    return now;
                }
            }
            return System.nanoTime();
        }

        private List<Long> between(long from, long to) {
            List<Long> g = new ArrayList<>();
            synchronized (gaps) {
                for (int i = 0; i < gaps.size(); i++) {
                    if (ends.get(i) > from && ends.get(i) <= to) {
                        g.add(gaps.get(i));
                    }
                }
            }
            Collections.sort(g);
            return g;
        }

        /** The time of the first pulse after {@code t} (nanoTime). */
        long firstPulseAfter(long t) {
            synchronized (gaps) {
                return ends.stream().filter(e -> e > t).findFirst().orElse(t);
            }
        }

        /**
         * The {@code n} longest gaps that ended in (from, to], each with the second (since from) at
         * which it began and the stack samples taken during it.
         */
        String longest(int n, long from, long to) {
            List<long[]> all = new ArrayList<>();
            synchronized (gaps) {
                for (int i = 0; i < gaps.size(); i++) {
                    if (ends.get(i) > from && ends.get(i) <= to) {
                        all.add(new long[] {gaps.get(i), ends.get(i)});
                    }
                }
            }
            all.sort((a, b) -> Long.compare(b[0], a[0]));
            StringBuilder out = new StringBuilder();
            for (long[] g : all.subList(0, Math.min(n, all.size()))) {
                out.append(String.format("  %.1f ms at %.2f s%n", g[0] / 1e6, (g[1] - g[0] - from) / 1e9))
                        .append(samplesBetween(g[1] - g[0], g[1], 3));
            }
            return out.toString();
        }

        /** Gaps that ended in (from, to]: count, median, p99, longest, and how many exceed 100 ms. */
        String summary(long from, long to) {
            List<Long> g = between(from, to);
            if (g.isEmpty()) {
                return "no pulses recorded";
            }
            long over = g.stream().filter(x -> x > 100_000_000L).count();
            return String.format("%,d pulse gaps; median %.1f ms, p99 %.1f ms, longest %.1f ms, %d over 100 ms",
                    g.size(), g.get(g.size() / 2) / 1e6, g.get((int) (g.size() * 0.99)) / 1e6,
                    g.get(g.size() - 1) / 1e6, over);
        }
    }

    /**
     * Opens {@code runId} in the console's main window; returns milliseconds until the first page
     * was in the model, the first rows were painted, and all chunks were loaded.
     */
    private static long[] open(AtomicReference<ShellView> shell, String runId) throws Exception {
        CompletableFuture<Long> painted = new CompletableFuture<>();
        long open = System.nanoTime();
        long[] built = new long[1];
        onFx(() -> {
            shell.get().openRun(runId);
            built[0] = System.nanoTime();
            whenRowsPainted(shell.get().root().getScene(),
                    () -> !shell.get().runDetail().table().getItems().isEmpty(), painted::complete);
        });
        long firstRows = (painted.get(60, TimeUnit.SECONDS) - open) / 1_000_000;
        long firstPage = onFxGet(() -> shell.get().runDetail().model().firstPageMillis());
        while (onFxGet(() -> shell.get().runDetail().model().loadingProperty().get()
                || shell.get().runDetail().model().allChunks().size() < BIG_RUN_CHUNKS)) {
            Thread.sleep(5);
        }
        return new long[] {firstPage, firstRows, (System.nanoTime() - open) / 1_000_000, (built[0] - open) / 1_000_000};
    }

    /** Calls {@code at} with the time of the first pulse whose layout found rows in the table. */
    private static void whenRowsPainted(Scene scene, java.util.function.BooleanSupplier hasRows,
                                        java.util.function.LongConsumer at) {
        Runnable[] check = new Runnable[1];
        check[0] = () -> {
            if (hasRows.getAsBoolean()) {
                at.accept(System.nanoTime());
                Platform.runLater(() -> scene.removePostLayoutPulseListener(check[0]));
            }
        };
        scene.addPostLayoutPulseListener(check[0]);
    }

    private static void onFx(Runnable r) throws Exception {
        CompletableFuture<Void> f = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                r.run();
                f.complete(null);
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        f.get(60, TimeUnit.SECONDS);
    }

    private static <T> T onFxGet(java.util.concurrent.Callable<T> c) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                f.complete(c.call());
            } catch (Exception e) {
                f.completeExceptionally(e);
            }
        });
        return f.get(60, TimeUnit.SECONDS);
    }

    private static final class QuietDialogs implements DialogService {
        @Override
        public boolean confirm(String title, String question) {
            return false;
        }

        @Override
        public Optional<String> askText(String title, String question, int maxLength) {
            return Optional.empty();
        }

        @Override
        public void showError(String title, Throwable error) {
            System.out.println("error: " + title + ": " + error);
        }

        @Override
        public void notify(Severity severity, String title, String text) {
        }

        @Override
        public void showText(String title, String text) {
        }

        @Override
        public Optional<Path> chooseFileToOpen(String title, String extensionDescription, String pattern) {
            return Optional.empty();
        }

        @Override
        public Optional<Path> chooseFileToSave(String title, String initialName) {
            return Optional.empty();
        }

        @Override
        public void openLocation(Path folder) {
        }
    }
}
