package dev.exportdesk.ui;

import java.nio.file.Path;
import java.util.Locale;
import javafx.application.Application;

/** Starts the desktop console on a workspace; refuses early, in words, when there is no display. */
public final class ConsoleLauncher {
    private ConsoleLauncher() {
    }

    /**
     * Blocks until the console window is closed.
     *
     * @throws UnsupportedOperationException when no graphical display is available
     */
    public static void open(Path workspace) {
        if (!displayAvailable()) {
            throw new UnsupportedOperationException("no graphical display found (DISPLAY is not set), so the "
                    + "desktop console cannot open. Use the command line instead: exportdesk --help");
        }
        Application.launch(ConsoleApp.class, "--workspace=" + workspace);
    }

    static boolean displayAvailable() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (!os.contains("linux")) {
            return true;
        }
        return "Monocle".equals(System.getProperty("glass.platform")) || present("DISPLAY")
                || present("WAYLAND_DISPLAY");
    }

    private static boolean present(String variable) {
        String v = System.getenv(variable);
        return v != null && !v.isBlank();
    }
}
