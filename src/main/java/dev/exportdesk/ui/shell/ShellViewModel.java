package dev.exportdesk.ui.shell;

import dev.exportdesk.engine.ContractStatus;
import dev.exportdesk.engine.StatusService;
import dev.exportdesk.ui.TaskRunner;
import java.util.List;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/** The shell's state: workspace, contracts at a glance, a status line. No scene-graph types here. */
public final class ShellViewModel {
    private final ReadOnlyStringWrapper workspace = new ReadOnlyStringWrapper();
    private final ReadOnlyStringWrapper statusLine = new ReadOnlyStringWrapper("Loading…");
    private final ObservableList<String> contracts = FXCollections.observableArrayList();
    private final StatusService status;
    private final TaskRunner tasks;

    public ShellViewModel(String workspacePath, StatusService status, TaskRunner tasks) {
        this.workspace.set(workspacePath);
        this.status = status;
        this.tasks = tasks;
    }

    public void refresh() {
        statusLine.set("Loading…");
        tasks.run(status::contracts, this::show, e -> statusLine.set("Could not read the workspace: " + e.getMessage()));
    }

    private void show(List<ContractStatus> all) {
        contracts.setAll(all.stream().map(s -> s.contract() + " → " + s.partner() + "   "
                + (s.lastRun() == null ? "never run" : "run #" + s.lastRun().sequence() + " " + s.lastRun().state()))
                .toList());
        statusLine.set(all.isEmpty() ? "No contracts yet — import one with `exportdesk contract import FILE`."
                : all.size() + " contract(s). The full console (runs, reconciliation, audit) is on its way; "
                + "the CLI does it all today.");
    }

    public ReadOnlyStringProperty workspaceProperty() {
        return workspace.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusLineProperty() {
        return statusLine.getReadOnlyProperty();
    }

    public ObservableList<String> contracts() {
        return contracts;
    }
}
