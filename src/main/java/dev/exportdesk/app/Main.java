package dev.exportdesk.app;

import dev.exportdesk.cli.Cli;
import dev.exportdesk.ui.ConsoleLauncher;

/**
 * The one entry point: with a command it runs the CLI, without one it opens the desktop console.
 * Deliberately not a JavaFX {@code Application}, so the classpath launch (and jpackage) works.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(Cli.execute(args, ConsoleLauncher::open));
    }
}
