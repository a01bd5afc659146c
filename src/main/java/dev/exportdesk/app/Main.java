package dev.exportdesk.app;

import dev.exportdesk.cli.Cli;
import dev.exportdesk.ui.ConsoleLauncher;

/**
 * The one entry point: with a command it runs the CLI, without one it opens the desktop console.
 * Deliberately not a JavaFX {@code Application}, so the classpath launch (and jpackage) works.
 */
public final class Main {
    static final String H2_OBJECT_CACHE = "h2.objectCache";

    private Main() {
    }

    public static void main(String[] args) {
        tuneLibraries();
        System.exit(Cli.execute(args, ConsoleLauncher::open));
    }

    /** Before any library class loads: their system properties are read once, at class initialisation. */
    static void tuneLibraries() {
        // H2 puts every value it reads through a shared cache of recent values, hashing each string
        // to look it up: a quarter of the reading thread's CPU in an export of an H2 source
        // (BENCHMARKS.md, 2026-12-06). Nothing here reads the same values often enough to gain
        // from it. An explicit -Dh2.objectCache wins.
        if (System.getProperty(H2_OBJECT_CACHE) == null) {
            System.setProperty(H2_OBJECT_CACHE, "false");
        }
    }
}
