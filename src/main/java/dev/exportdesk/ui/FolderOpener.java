package dev.exportdesk.ui;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Shows a folder in the desktop's file manager through the platform's opener (xdg-open, open,
 * explorer) and says when that did not work. JavaFX's HostServices.showDocument looks for a web
 * browser instead, prints a stack trace when it finds none and returns as if it had worked: without
 * xdg-open, "Open file location" did nothing and said nothing.
 */
public final class FolderOpener {
    /** An opener still running after this long has handed the folder on (xdg-open and open return at once). */
    private static final long PATIENCE_SECONDS = 5;
    private final List<String> command;
    private final boolean exitStatusTells;

    /** {@code exitStatusTells}: whether a non-zero exit status means the folder did not open. */
    public FolderOpener(List<String> command, boolean exitStatusTells) {
        this.command = List.copyOf(command);
        this.exitStatusTells = exitStatusTells;
    }

    public static FolderOpener forThisDesktop() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            return new FolderOpener(List.of("explorer.exe"), false); // exits 1 even when the window opened
        }
        return new FolderOpener(List.of(os.startsWith("mac") ? "open" : "xdg-open"), true);
    }

    /**
     * Empty once the folder was handed to the file manager, otherwise why not, in words. Waits for
     * the opener for up to a few seconds: call it off the UI thread.
     */
    public Optional<String> open(Path folder) {
        if (!Files.isDirectory(folder)) {
            return Optional.of("The folder is not there: nothing was delivered into it yet, or it was moved.");
        }
        List<String> args = new ArrayList<>(command);
        args.add(folder.toString());
        Process p;
        try {
            p = new ProcessBuilder(args).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            return Optional.of("This desktop has no " + name() + " (or it could not be started), so ExportDesk "
                    + "cannot open folders here.");
        }
        try {
            if (p.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS) && exitStatusTells && p.exitValue() != 0) {
                return Optional.of(name() + " could not open it (exit status " + p.exitValue() + "): this desktop "
                        + "may have no file manager set up for folders.");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Optional.empty();
    }

    private String name() {
        return Path.of(command.get(0)).getFileName().toString();
    }
}
