package dev.exportdesk.ui.workers;

import dev.exportdesk.access.GuardedEngine;
import dev.exportdesk.store.LeaseTakeover;
import dev.exportdesk.store.RunRequest;
import dev.exportdesk.ui.ConsoleContext;
import dev.exportdesk.ui.ErrorText;
import dev.exportdesk.ui.StorePoll;
import dev.exportdesk.ui.TaskRunner;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * Workers (team mode, read-only): each worker with its last heartbeat and what it holds, the lease
 * takeovers, and the recent requests, re-read from the store every {@link #POLL_SECONDS} s while shown.
 */
public final class WorkersViewModel {
    static final long POLL_SECONDS = 2;
    private final GuardedEngine engine;
    private final TaskRunner tasks;
    private final StorePoll poll;
    private final ObservableList<WorkerRow> workers = FXCollections.observableArrayList();
    private final ObservableList<LeaseTakeover> takeovers = FXCollections.observableArrayList();
    private final ObservableList<RunRequest> requests = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    private boolean reading;

    public WorkersViewModel(ConsoleContext context) {
        this.engine = context.engine();
        this.tasks = context.tasks();
        this.poll = new StorePoll(context.uiThread(), POLL_SECONDS * 1000, "exportdesk-workers-poll");
    }

    /** Screen shown: read now, then every {@link #POLL_SECONDS} s. */
    public void activate() {
        refresh();
        poll.start(this::refresh);
    }

    public void deactivate() {
        poll.stop();
    }

    /** Re-reads the store (skipped while the last read is still out). */
    public void refresh() {
        if (reading) {
            return;
        }
        reading = true;
        tasks.run(() -> engine.team().overview(), o -> {
            reading = false;
            workers.setAll(WorkerRow.of(o));
            takeovers.setAll(o.takeovers());
            requests.setAll(o.requests());
            long silent = workers.stream().filter(WorkerRow::silent).count();
            message.set(workers.size() + " worker(s)" + (silent > 0 ? ", " + silent + " silent" : "") + ", "
                    + o.held().size() + " run(s) held, " + takeovers.size() + " takeover(s)");
        }, e -> {
            reading = false;
            message.set("Could not read the workers: " + ErrorText.summary(e));
        });
    }

    public ObservableList<WorkerRow> workers() {
        return workers;
    }

    public ObservableList<LeaseTakeover> takeovers() {
        return takeovers;
    }

    public ObservableList<RunRequest> requests() {
        return requests;
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }
}
