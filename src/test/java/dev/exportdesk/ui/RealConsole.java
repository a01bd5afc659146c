package dev.exportdesk.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.exportdesk.testing.XDesktop;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The packaged console ({@code java -jar target/exportdesk.jar --workspace WS}) in its own JVM on a
 * {@link XDesktop}, with its own Java preferences and the layout report ({@link LayoutReport}) it
 * writes twice a second, read back here.
 */
final class RealConsole implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final XDesktop desktop;
    private final Process process;
    private final Path report;
    private final Path log;

    private RealConsole(XDesktop desktop, Process process, Path report, Path log) {
        this.desktop = desktop;
        this.process = process;
        this.report = report;
        this.log = log;
    }

    static RealConsole start(XDesktop desktop, Path jar, Path workspace, Path dir) throws IOException {
        return start(desktop, jar, workspace, dir, java.util.Map.of());
    }

    /** With {@code env} added to its environment (a team workspace's store variables). */
    static RealConsole start(XDesktop desktop, Path jar, Path workspace, Path dir, java.util.Map<String, String> env)
            throws IOException {
        Files.createDirectories(dir);
        Path report = dir.resolve("layout-report.json");
        Path log = dir.resolve("console.log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // its own preferences: no saved size, theme or screen from the developer's console
                "-Djava.util.prefs.userRoot=" + dir.resolve("prefs"),
                "-D" + LayoutReport.PROPERTY + "=" + report,
                "-jar", jar.toString(), "--workspace", workspace.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return new RealConsole(desktop, desktop.launch(pb), report, log);
    }

    /** The latest report, or null before the first. */
    JsonNode report() throws IOException {
        try {
            return JSON.readTree(Files.readString(report));
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * Waits until the report satisfies {@code ready} and then stays the same for a second (the
     * screen's background reads have landed); returns it.
     */
    JsonNode settled(String what, long seconds, Predicate<JsonNode> ready) throws IOException, InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        String previous = null;
        int same = 0;
        while (System.nanoTime() < until) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the console exited (" + process.exitValue() + ") while waiting for "
                        + what + ": " + Files.readString(log));
            }
            String now = Files.exists(report) ? Files.readString(report) : null;
            if (now != null && now.equals(previous) && ready.test(JSON.readTree(now))) {
                if (++same >= 3) {
                    return JSON.readTree(now);
                }
            } else {
                same = 0;
            }
            previous = now;
            Thread.sleep(350);
        }
        throw new IllegalStateException("not reached within " + seconds + " s: " + what + "; last report: " + previous);
    }

    /** The report's main window (the stage whose title starts with ExportDesk). */
    static JsonNode mainWindow(JsonNode report) {
        return window(report, "ExportDesk");
    }

    /** The report's first window whose title starts with {@code title}, or null. */
    static JsonNode window(JsonNode report, String title) {
        for (JsonNode w : report.path("windows")) {
            if (w.path("title").asText().startsWith(title)) {
                return w;
            }
        }
        return null;
    }

    static boolean shows(JsonNode window, String text) {
        if (window == null) {
            return false;
        }
        for (JsonNode l : window.path("labels")) {
            if (l.path("text").asText().contains(text)) {
                return true;
            }
        }
        return false;
    }

    /** Presses keys in the console's window (focusing it first). */
    void key(String window, String... keys) throws IOException, InterruptedException {
        desktop.xdotool("windowactivate", "--sync", window);
        List<String> args = new ArrayList<>(List.of("key", "--clearmodifiers"));
        args.addAll(List.of(keys));
        desktop.xdotool(args.toArray(String[]::new));
    }

    void type(String text) throws IOException, InterruptedException {
        desktop.xdotool("type", "--delay", "15", text);
    }

    /**
     * Double-clicks a point of a window's scene, given in the scene's coordinates. (Not {@code
     * mousemove --sync}: it waits for a motion that never comes when the pointer is already there.)
     */
    void doubleClick(JsonNode window, double sceneX, double sceneY) throws IOException, InterruptedException {
        click(window, sceneX, sceneY, 2);
    }

    /** Clicks the middle of a control the report lists. */
    void click(JsonNode window, JsonNode control) throws IOException, InterruptedException {
        click(window, control.path("x").asDouble() + control.path("w").asDouble() / 2, control.path("y").asDouble() + 8,
                1);
    }

    private void click(JsonNode window, double sceneX, double sceneY, int times)
            throws IOException, InterruptedException {
        long x = Math.round(window.path("x").asDouble() + window.path("sceneX").asDouble() + sceneX);
        long y = Math.round(window.path("y").asDouble() + window.path("sceneY").asDouble() + sceneY);
        desktop.xdotool("mousemove", String.valueOf(x), String.valueOf(y), "click", "--repeat",
                String.valueOf(times), "1");
    }

    /** The first control of a window the report lists with exactly this text, or null. */
    static JsonNode control(JsonNode window, String text) {
        for (JsonNode l : window.path("labels")) {
            if (text.equals(l.path("text").asText())) {
                return l;
            }
        }
        return null;
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    /** Closes the window as a user would (Alt+F4 through openbox) and waits for the JVM to end. */
    boolean closeWindow(String window) throws IOException, InterruptedException {
        key(window, "alt+F4");
        return process.waitFor(20, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
