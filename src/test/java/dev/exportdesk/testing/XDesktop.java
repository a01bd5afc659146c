package dev.exportdesk.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A throwaway X desktop for real-window tests: an Xvfb screen of a given size on a display number
 * Xvfb picks itself ({@code -displayfd}), with openbox as its window manager, and the X tools the
 * tests drive it with (xdotool, ImageMagick's import), each call bounded in time. Closing it ends
 * every process it started.
 */
public final class XDesktop implements AutoCloseable {
    /** The Debian packages that hold the tools; CI installs them (.ci/run). */
    public static final String PACKAGES = "xvfb openbox xdotool imagemagick";
    private static final List<String> TOOLS = List.of("Xvfb", "openbox", "xdotool", "import");

    private final int width;
    private final int height;
    private final Path logs;
    private final List<Process> processes = new ArrayList<>();
    private String display;

    private XDesktop(int width, int height, Path logs) {
        this.width = width;
        this.height = height;
        this.logs = logs;
    }

    /** The tools missing from PATH, empty when all are there. */
    public static List<String> missingTools() {
        List<String> missing = new ArrayList<>();
        for (String tool : TOOLS) {
            boolean found = false;
            for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
                found |= !dir.isEmpty() && Files.isExecutable(Path.of(dir, tool));
            }
            if (!found) {
                missing.add(tool);
            }
        }
        return missing;
    }

    /** Starts Xvfb at {@code width}×{@code height} and openbox on it; returns once openbox manages the screen. */
    public static XDesktop start(int width, int height, Path logs) throws IOException, InterruptedException {
        XDesktop d = new XDesktop(width, height, logs);
        try {
            d.startServer();
            d.startWindowManager();
            return d;
        } catch (IOException | InterruptedException | RuntimeException e) {
            d.close();
            throw e;
        }
    }

    private void startServer() throws IOException, InterruptedException {
        Files.createDirectories(logs);
        Process x = new ProcessBuilder("Xvfb", "-displayfd", "1", "-screen", "0", width + "x" + height + "x24",
                "-nolisten", "tcp").redirectError(logs.resolve("xvfb-" + size() + ".log").toFile()).start();
        processes.add(x);
        // -displayfd 1: Xvfb writes the display number it took to stdout once it accepts clients
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return new BufferedReader(new InputStreamReader(x.getInputStream(), StandardCharsets.US_ASCII))
                        .readLine();
            } catch (IOException e) {
                return null;
            }
        });
        try {
            String n = line.get(20, TimeUnit.SECONDS);
            if (n == null || !n.trim().matches("\\d+")) {
                throw new IllegalStateException("Xvfb did not start (see " + logs + "): " + n);
            }
            display = ":" + n.trim();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Xvfb gave no display number within 20 s (see " + logs + ")", e);
        }
    }

    private void startWindowManager() throws IOException, InterruptedException {
        Path ready = logs.resolve("openbox-ready-" + size());
        Files.deleteIfExists(ready);
        ProcessBuilder pb = new ProcessBuilder("openbox", "--sm-disable", "--startup", "touch " + ready)
                .redirectErrorStream(true).redirectOutput(logs.resolve("openbox-" + size() + ".log").toFile());
        pb.environment().put("DISPLAY", display);
        processes.add(pb.start());
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.exists(ready)) {
            if (System.nanoTime() > until) {
                throw new IllegalStateException("openbox did not start within 20 s (see " + logs + ")");
            }
            Thread.sleep(50);
        }
    }

    public String display() {
        return display;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** "1024x700". */
    public String size() {
        return width + "x" + height;
    }

    /** Runs an X tool on this display, at most {@code seconds}; returns its output, fails on a non-zero exit. */
    public String run(long seconds, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("DISPLAY", display);
        Process p = pb.start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
            try {
                return p.getInputStream().readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        });
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new IllegalStateException(command[0] + " did not finish within " + seconds + " s: "
                    + List.of(command));
        }
        String text;
        try {
            text = new String(out.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8);
        } catch (ExecutionException | TimeoutException e) {
            text = "";
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(List.of(command) + " exited " + p.exitValue() + ": " + text);
        }
        return text;
    }

    /** {@code xdotool ARGS…}. */
    public String xdotool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("xdotool"));
        cmd.addAll(List.of(args));
        return run(20, cmd.toArray(String[]::new));
    }

    /** The id of the first window whose name matches {@code regex}, waiting at most {@code seconds} for it. */
    public String window(String regex, long seconds) throws IOException, InterruptedException {
        return run(seconds, "xdotool", "search", "--sync", "--onlyvisible", "--name", regex).lines().findFirst()
                .orElseThrow();
    }

    /** A window's client area as xdotool reports it: X, Y, WIDTH, HEIGHT. */
    public Map<String, Integer> geometry(String window) throws IOException, InterruptedException {
        Map<String, Integer> g = new java.util.HashMap<>();
        for (String line : xdotool("getwindowgeometry", "--shell", window).split("\n")) {
            String[] kv = line.split("=", 2);
            if (kv.length == 2 && kv[1].trim().matches("-?\\d+")) {
                g.put(kv[0].trim(), Integer.parseInt(kv[1].trim()));
            }
        }
        return g;
    }

    /** A PNG of the whole screen, as a user sees it (window manager frames included). */
    public Path screenshot(Path file) throws IOException, InterruptedException {
        Files.createDirectories(file.getParent());
        run(20, "import", "-window", "root", file.toString());
        return file;
    }

    /** A process started with this display as its DISPLAY, ended with the desktop at the latest. */
    public Process launch(ProcessBuilder pb) throws IOException {
        pb.environment().put("DISPLAY", display);
        pb.environment().remove("WAYLAND_DISPLAY");
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    @Override
    public void close() throws InterruptedException {
        // the app first, then the window manager, the X server last: the reverse of their start
        for (int i = processes.size() - 1; i >= 0; i--) {
            Process p = processes.get(i);
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        processes.clear();
    }
}
