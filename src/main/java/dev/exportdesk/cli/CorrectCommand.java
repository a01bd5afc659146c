package dev.exportdesk.cli;

import dev.exportdesk.engine.ExportEngine;
import dev.exportdesk.engine.runs.RunResult;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "correct", description = {"Ship the rows the latest `verify --deep` found differing that no later "
        + "run carries (changed in place, late outside the lookback, hard-deleted) as a correction run: each row is "
        + "re-read from the source now, a deleted row is sent as _op delete, and every correction chunk names the "
        + "chunk it corrects in the manifest (docs/verification.md)."})
final class CorrectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "CONTRACT|RUN", description = "A contract name (the latest deep verification of each "
            + "of its runs), a run id or a unique id prefix.")
    String ref;

    @Option(names = {"-q", "--quiet"}, description = "No progress line.")
    boolean quiet;

    @Override
    public Integer call() {
        ExportDeskCommand root = (ExportDeskCommand) spec.root().userObject();
        try (CliContext ctx = root.open()) {
            ProgressPrinter progress = new ProgressPrinter(spec.commandLine().getErr(), quiet);
            Optional<RunResult> result = ctx.engine().correct(ref, progress);
            progress.finish();
            if (result.isEmpty()) {
                spec.commandLine().getOut().println(ExportEngine.NOTHING_TO_CORRECT);
                return ExitCodes.OK;
            }
            return RunPrinter.print(result.get(), spec.commandLine().getOut(), spec.commandLine().getErr());
        }
    }
}
