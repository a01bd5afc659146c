package dev.exportdesk.cli;

import dev.exportdesk.engine.runs.RunLogs;
import dev.exportdesk.store.RunRecord;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code logs RUN}: the run's own log (every attempt). Printed through the CLI's terminal writer like
 * everything else, so an escape sequence a source value or a partner put in a log line cannot reach
 * the terminal raw, even if the file was edited by hand.
 */
@Command(name = "logs", description = "Print the log of RUN (id, unique id prefix, or contract for its latest "
        + "run): every attempt, its chunks, retries, receipts and the failure with its causes.")
final class LogsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN", description = "Run id, unique id prefix, or contract name (its latest run).")
    String run;

    @Override
    public Integer call() {
        ExportDeskCommand root = (ExportDeskCommand) spec.root().userObject();
        try (CliContext ctx = root.open()) {
            RunRecord r = ctx.runLogs().run(run);
            PrintWriter out = spec.commandLine().getOut();
            String text = ctx.runLogs().read(r.id()).orElse(null);
            if (text == null) {
                spec.commandLine().getErr().println("run " + r.id() + " (" + r.contractName() + " #" + r.sequence()
                        + ") has no log: it ran before run logs were kept, or its log was removed after "
                        + RunLogs.KEEP.toDays() + " days");
                return ExitCodes.INVALID_INPUT;
            }
            out.print(text);
            out.flush();
            return ExitCodes.OK;
        }
    }
}
