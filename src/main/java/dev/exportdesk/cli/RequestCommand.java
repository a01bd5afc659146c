package dev.exportdesk.cli;

import dev.exportdesk.contract.DurationText;
import dev.exportdesk.engine.team.RunRequests;
import dev.exportdesk.store.RunRequest;
import dev.exportdesk.store.StoreMode;
import dev.exportdesk.text.Text;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "request", description = "Team mode: ask the workers to run, resume, cancel or correct, or list the "
        + "requests. Returns once the request is recorded (or, with --wait, once a worker has acted on it).")
final class RequestCommand implements Callable<Integer> {
    private static final long POLL_MILLIS = 250;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ACTION", description = "run CONTRACT | resume RUN | cancel RUN | correct CONTRACT|RUN | list")
    String action;

    @Parameters(index = "1", arity = "0..1", paramLabel = "TARGET", description = "Contract name, or run id, "
            + "unique id prefix or contract name.")
    String target;

    @Option(names = "--wait", paramLabel = "D", description = "Wait up to D (e.g. 10m) for a worker to act on the "
            + "request; exit 1 when it failed or did not happen in time.")
    String wait;

    @Override
    public Integer call() throws InterruptedException {
        boolean list = action.equals("list");
        if (!list && !java.util.Set.of("run", "resume", "cancel", "correct").contains(action)) {
            throw new ParameterException(spec.commandLine(), "ACTION: run, resume, cancel, correct or list (got \""
                    + Text.safe(action) + "\")");
        }
        if (list == (target != null)) {
            throw new ParameterException(spec.commandLine(), list ? "list takes no TARGET" : action
                    + " needs a TARGET");
        }
        Duration limit = wait == null ? null : parse(wait);
        PrintWriter out = spec.commandLine().getOut();
        try (CliContext ctx = CliContext.open(spec)) {
            if (ctx.workspace().mode() != StoreMode.TEAM) {
                spec.commandLine().getErr().println("requests are executed by workers of a team store "
                        + "(PostgreSQL); this workspace embeds H2: use `run` or `resume` instead.");
                return ExitCodes.USAGE;
            }
            RunRequests requests = new RunRequests(ctx.engineContext(), ctx.contracts());
            if (list) {
                requests.recent().forEach(r -> out.println(describe(r)));
                return ExitCodes.OK;
            }
            RunRequest r = switch (action) {
                case "run" -> requests.runNow(target);
                case "resume" -> requests.resume(target);
                case "correct" -> requests.correct(target);
                default -> requests.cancel(target);
            };
            out.println("request " + r.id() + " recorded: " + r.kind().name().toLowerCase() + " " + Text.safe(target));
            if (limit == null) {
                return ExitCodes.OK;
            }
            long deadline = System.nanoTime() + limit.toNanos();
            while (System.nanoTime() < deadline) {
                Optional<RunRequest> now = requests.find(r.id());
                if (now.isPresent() && (now.get().state() == RunRequest.State.DONE
                        || now.get().state() == RunRequest.State.FAILED)) {
                    out.println(describe(now.get()));
                    return now.get().state() == RunRequest.State.DONE ? ExitCodes.OK : ExitCodes.RUN_FAILED;
                }
                Thread.sleep(POLL_MILLIS);
            }
            spec.commandLine().getErr().println("no worker finished request " + r.id() + " within " + wait
                    + "; it stays recorded");
            return ExitCodes.RUN_FAILED;
        }
    }

    private Duration parse(String text) {
        try {
            return DurationText.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--wait: " + e.getMessage());
        }
    }

    private static String describe(RunRequest r) {
        return r.id() + "  " + r.kind().name().toLowerCase() + "  " + Text.safe(r.contract())
                + (r.runId() == null ? "" : " run " + r.runId()) + "  by " + Text.safe(r.requestedBy()) + "  "
                + r.state() + (r.takenBy() == null ? "" : " (" + Text.safe(r.takenBy()) + ")")
                + (r.outcome() == null ? "" : ": " + Text.safe(r.outcome()));
    }
}
