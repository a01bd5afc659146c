package dev.exportdesk.ui.runs;

import dev.exportdesk.access.GuardedEngine;
import dev.exportdesk.engine.verification.VerifyProgress;
import dev.exportdesk.engine.verification.VerifyService;
import dev.exportdesk.ui.DialogService;
import dev.exportdesk.ui.TaskRunner;
import dev.exportdesk.verify.VerificationCancelledException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * The run detail's Deep verify as a running task, like a run: progress per chunk (in the task view
 * and the summary line) and Cancel. Cancelling only asks: the engine stops at its next chunk or
 * bisection step and records no pass, so {@link #runningProperty()} stays true until it has.
 */
final class DeepVerifyTask {
    private final GuardedEngine engine;
    private final TaskRunner tasks;
    private final DialogService dialogs;
    private final Executor uiThread;
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper progress = new ReadOnlyStringWrapper("");
    private TaskRunner.Handle handle;

    DeepVerifyTask(GuardedEngine engine, TaskRunner tasks, DialogService dialogs, Executor uiThread) {
        this.engine = engine;
        this.tasks = tasks;
        this.dialogs = dialogs;
        this.uiThread = uiThread;
    }

    /** {@code ended} runs on the UI thread once the engine has returned, whatever it recorded. */
    void start(String runId, Runnable ended) {
        running.set(true);
        progress.set("deep verify: starting…");
        handle = tasks.submit("Deep verify run " + runId.substring(0, 8), p -> {
            try {
                return engine.verification().deepVerify(runId, v -> {
                    String text = describe(v);
                    p.update(text, v.fraction());
                    uiThread.execute(() -> progress.set(text));
                }, p::cancelled);
            } finally {
                uiThread.execute(() -> {
                    running.set(false);
                    progress.set("");
                    ended.run();
                });
            }
        }, this::finished, e -> {
            if (e instanceof CancellationException || e instanceof VerificationCancelledException) {
                if (running.get()) { // the task view reports a cancel at once, the engine stops a little later
                    progress.set("deep verify: cancelling at the next chunk…");
                }
                dialogs.notify(DialogService.Severity.INFO, "Deep verification cancelled",
                        "It stops at its next chunk; no reconciliation pass is recorded.");
            } else {
                dialogs.showError("Deep verification did not run", e);
            }
        });
    }

    void cancel() {
        if (handle != null) {
            handle.cancel();
        }
    }

    private void finished(List<VerifyService.DeepOutcome> outcomes) {
        boolean ok = outcomes.stream().allMatch(VerifyService.DeepOutcome::ok);
        long differing = outcomes.stream().filter(o -> o.deep() != null).flatMap(o -> o.deep().chunks().stream())
                .filter(c -> !c.result().classification().passes()).count();
        dialogs.notify(ok ? DialogService.Severity.INFO : DialogService.Severity.ERROR,
                "Deep verification " + (ok ? "passed" : "found differences"),
                ok ? "Every chunk matches its source and its delivery."
                        : differing + " chunk(s) differ from the source or the delivery; select one to see its keys.");
    }

    /** The task line, e.g. {@code source · 12 of 40 chunks}: which check, and how far it got. */
    static String describe(VerifyProgress p) {
        String phase = p.phase() == VerifyProgress.Phase.DELIVERY ? "delivery (re-hashing files)"
                : "source (re-reading rows)";
        return String.format(Locale.ROOT, "%s · %,d of %,d chunks", phase, p.chunksDone(), p.chunksTotal());
    }

    ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    ReadOnlyStringProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }
}
