package dev.exportdesk.ui.workers;

import dev.exportdesk.access.GuardedEngine;
import dev.exportdesk.store.LeaseTakeover;
import dev.exportdesk.store.RunRequest;
import dev.exportdesk.ui.ConsoleContext;
import dev.exportdesk.ui.ErrorText;
import dev.exportdesk.ui.TaskRunner;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
    private final Executor uiThread;
    private final ObservableList<WorkerRow> workers = FXCollections.observableArrayList();
    private final ObservableList<LeaseTakeover> takeovers = FXCollections.observableArrayList();
    private final ObservableList<RunRequest> requests = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    private ScheduledExecutorService timer;
    private boolean reading;

    public WorkersViewModel(ConsoleContext context) {
        this.engine = context.engine();
        this.tasks = context.tasks();
        this.uiThread = context.uiThread();
    }

    /** Screen shown: read now, then every {@link #POLL_SECONDS} s. */
    public void activate() {
        refresh();
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "exportdesk-workers-poll");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleWithFixedDelay(() -> uiThread.execute(this::refresh), POLL_SECONDS, POLL_SECONDS,
                    TimeUnit.SECONDS);
        }
    }

    public void deactivate() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
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
