package dev.exportdesk.cli;

import java.nio.file.Path;

/**
 * Points the log file at the workspace's {@code logs/} before the first logger is created
 * ({@link LogConfiguration} reads these properties). Console logging goes to standard error.
 */
final class Logging {
    private Logging() {
    }

    static void useWorkspace(Path workspace) {
        if (System.getProperty(LogConfiguration.LOG_DIR) == null) {
            System.setProperty(LogConfiguration.LOG_DIR, workspace.resolve("logs").toString());
        }
    }

    static void verbose(boolean on) {
        if (on) {
            System.setProperty(LogConfiguration.CONSOLE_LEVEL, "INFO");
        }
    }
}
