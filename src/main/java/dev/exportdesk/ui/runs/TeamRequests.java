package dev.exportdesk.ui.runs;

import dev.exportdesk.access.TeamGuard;
import dev.exportdesk.store.RunRequest;
import dev.exportdesk.text.Text;
import dev.exportdesk.ui.DialogService;
import dev.exportdesk.ui.StorePoll;
import dev.exportdesk.ui.TaskRunner;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Team mode on the Exports screen: Run now, Resume and Cancel are asked of the workers through the
 * store, and the latest request is followed until a worker has acted on it ("waiting for a worker",
 * "taken by worker a", then its outcome). Also the poll that re-reads the store while the screen is
 * shown, since a worker's progress reaches this console only through the store. UI thread, except
 * the poll timer, which hands each tick to it.
 */
final class TeamRequests {
    /** How often the screen re-reads the store: a worker reports progress at least every 2 s. */
    static final long POLL_MILLIS = 1500;
    private final TeamGuard team;
    private final TaskRunner tasks;
    private final DialogService dialogs;
    private final StorePoll poll;
    private final Consumer<String> changed;
    private String what;
    private RunRequest followed;
    private String line;
    private boolean reading;

    TeamRequests(TeamGuard team, TaskRunner tasks, DialogService dialogs, Executor uiThread, Consumer<String> changed) {
        this.team = team;
        this.tasks = tasks;
        this.dialogs = dialogs;
        this.poll = new StorePoll(uiThread, POLL_MILLIS, "exportdesk-team-poll");
        this.changed = changed;
    }

    /** Asks {@code request} in the background ({@code what}: "Run now of orders"); a refusal in a dialog. */
    void ask(String what, Callable<RunRequest> request) {
        tasks.run(request, r -> {
            this.what = what;
            followed = r;
            say(r);
        }, e -> dialogs.showError(what + " not asked", e));
    }

    /** Re-reads the followed request once (skipped while the last read is out or it has finished). */
    void follow() {
        RunRequest r = followed;
        if (r == null || reading || finished(r)) {
            return;
        }
        reading = true;
        tasks.run(() -> team.request(r.id()), now -> {
            reading = false;
            if (now.isPresent() && followed != null && followed.id().equals(r.id()) && !now.get().equals(followed)) {
                followed = now.get();
                say(followed);
            }
        }, e -> reading = false);
    }

    /** What was asked last and how it stands, or null before anything was asked here. */
    String line() {
        return line;
    }

    void startPolling(Runnable tick) {
        poll.start(tick);
    }

    void stopPolling() {
        poll.stop();
    }

    private void say(RunRequest r) {
        line = describe(what, r);
        changed.accept(line);
    }

    private static boolean finished(RunRequest r) {
        return r.state() == RunRequest.State.DONE || r.state() == RunRequest.State.FAILED;
    }

    /** The request line; worker names and outcomes come from the store, so they are made safe to show. */
    static String describe(String what, RunRequest r) {
        return switch (r.state()) {
            case PENDING -> what + " asked — waiting for a worker";
            case TAKEN -> what + " taken by worker " + Text.safe(r.takenBy());
            case DONE -> what + " done" + outcome(r);
            case FAILED -> what + " failed" + outcome(r);
        };
    }

    private static String outcome(RunRequest r) {
        String by = r.takenBy() == null ? "" : " by worker " + Text.safe(r.takenBy());
        return by + (r.outcome() == null ? "" : ": " + Text.safe(r.outcome()));
    }
}
