package dev.exportdesk.ui.runs;

import dev.exportdesk.access.GuardedEngine;
import dev.exportdesk.engine.runs.RunProgress;
import dev.exportdesk.store.RunRecord;
import dev.exportdesk.ui.ConsoleContext;
import dev.exportdesk.ui.DialogService;
import dev.exportdesk.ui.ErrorText;
import dev.exportdesk.ui.RunEvents;
import dev.exportdesk.ui.TaskRunner;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * One run's own log, as the engine wrote it (every attempt, chunks, retries, the failure with its
 * causes): read in the background, re-read while the run makes progress and when it ends, saved as
 * a copy or copied whole. Anyone who may read runs may read their logs.
 */
public final class RunLogViewModel implements RunEvents.Listener {
    static final String NO_LOG = "This run has no log: it ran before ExportDesk kept run logs, or its log was removed "
            + "after 90 days. The workspace's logs/exportdesk.log may still hold its lines.";
    /** While a run progresses, the log is re-read at most this often (a long log is megabytes). */
    static final long MIN_REFRESH_NANOS = 1_000_000_000L;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private final GuardedEngine engine;
    private final TaskRunner tasks;
    private final DialogService dialogs;
    private final RunEvents events;
    private final String runId;
    private final ReadOnlyStringWrapper text = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("Reading the log…");
    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper("Run log");
    private boolean hasLog;
    private boolean reading;
    private boolean readAgain;
    private long lastRead;
    private RunRecord run;
    private Runnable unsubscribe;

    public RunLogViewModel(ConsoleContext context, String runId) {
        this.engine = context.engine();
        this.tasks = context.tasks();
        this.dialogs = context.dialogs();
        this.events = context.events();
        this.runId = runId;
    }

    public void activate() {
        if (unsubscribe == null) {
            unsubscribe = events.subscribe(this);
        }
        refresh();
    }

    public void deactivate() {
        if (unsubscribe != null) {
            unsubscribe.run();
            unsubscribe = null;
        }
    }

    private record Read(RunRecord run, Optional<String> log) {
    }

    /** Re-reads the log; a request while a read is under way reads once more after it. */
    public void refresh() {
        if (reading) {
            readAgain = true;
            return;
        }
        reading = true;
        lastRead = System.nanoTime();
        tasks.run(() -> new Read(engine.findRun(runId).orElseThrow(() -> new IllegalArgumentException(
                "no run " + runId)), engine.runLog(runId)), read -> {
                    run = read.run();
                    hasLog = read.log().isPresent();
                    title.set("Log of " + run.contractName() + " #" + run.sequence());
                    text.set(read.log().orElse(NO_LOG));
                    status.set(run.contractName() + " #" + run.sequence() + " · " + RunRow.stateName(run) + " · "
                            + (hasLog ? String.format("%,d characters", read.log().get().length()) : "no log")
                            + " · read " + TIME.format(Instant.now()) + " UTC");
                    done();
                }, e -> {
                    status.set("The log could not be read: " + ErrorText.summary(e));
                    done();
                });
    }

    private void done() {
        reading = false;
        if (readAgain) {
            readAgain = false;
            refresh();
        }
    }

    /** Writes a copy of the log where the user chooses; a file there is replaced only as the chooser confirmed. */
    public void save() {
        if (!hasLog) {
            dialogs.notify(DialogService.Severity.INFO, "No log to save", NO_LOG);
            return;
        }
        String initial = run == null ? runId + ".log" : run.contractName() + "-run-" + run.sequence() + ".log";
        dialogs.chooseFileToSave("Save the run's log", initial).ifPresent(file -> {
            // the chooser asked before naming an existing file; anything else there is never overwritten
            boolean replace = Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS);
            tasks.run(() -> {
                engine.saveRunLog(runId, file, replace);
                return file;
            }, saved -> dialogs.notify(DialogService.Severity.INFO, "Log saved", saved.toString()),
                    e -> dialogs.showError("The log could not be saved", e));
        });
    }

    @Override
    public void onProgress(RunProgress progress) {
        if (progress.runId().equals(runId) && System.nanoTime() - lastRead >= MIN_REFRESH_NANOS) {
            refresh();
        }
    }

    @Override
    public void onRunEnded(String contract) {
        if (run == null || run.contractName().equals(contract)) {
            refresh();
        }
    }

    public String runId() {
        return runId;
    }

    /** The whole log, or {@link #NO_LOG}. */
    public ReadOnlyStringProperty textProperty() {
        return text.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty titleProperty() {
        return title.getReadOnlyProperty();
    }
}
