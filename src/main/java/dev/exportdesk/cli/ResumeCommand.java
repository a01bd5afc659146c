package dev.exportdesk.cli;

import dev.exportdesk.engine.runs.RunResult;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "resume", description = "Resume an interrupted, failed or stopped run (all unfinished runs when "
        + "RUN is omitted).")
final class ResumeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN", arity = "0..1", description = "Run id, unique id prefix, or contract name.")
    String run;

    @Option(names = {"-q", "--quiet"}, description = "No progress line.")
    boolean quiet;

    @Override
    public Integer call() {
        ExportDeskCommand root = (ExportDeskCommand) spec.root().userObject();
        try (CliContext ctx = root.open()) {
            ProgressPrinter progress = new ProgressPrinter(spec.commandLine().getErr(), quiet);
            List<RunResult> results = run == null ? ctx.engine().resumeAll(progress)
                    : List.of(ctx.engine().resume(run, progress));
            progress.finish();
            if (results.isEmpty()) {
                spec.commandLine().getOut().println("nothing to resume: every run is complete");
            }
            int code = ExitCodes.OK;
            for (RunResult r : results) {
                code = Math.max(code, RunPrinter.print(r, spec.commandLine().getOut(), spec.commandLine().getErr()));
            }
            return code;
        }
    }
}
