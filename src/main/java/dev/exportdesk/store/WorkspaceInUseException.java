package dev.exportdesk.store;

import java.nio.file.Path;

/** Another process (or this one) already holds the workspace. */
public class WorkspaceInUseException extends StoreException {
    private final Path workspace;
    private final String holder;

    public WorkspaceInUseException(Path workspace, String holder) {
        super("workspace in use by PID " + holder + ": " + workspace
                + " (close the other ExportDesk console or CLI first, or choose another --workspace)");
        this.workspace = workspace;
        this.holder = holder;
    }

    public Path workspace() {
        return workspace;
    }

    public String holder() {
        return holder;
    }
}
