package dev.exportdesk.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "run", description = "Export what changed since the last run of CONTRACT (completes an "
        + "interrupted run first).")
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "CONTRACT", description = "Contract name.")
    String contract;

    @Option(names = {"-q", "--quiet"}, description = "No progress line.")
    boolean quiet;

    @Override
    public Integer call() {
        ExportDeskCommand root = (ExportDeskCommand) spec.root().userObject();
        try (CliContext ctx = root.open()) {
            ProgressPrinter progress = new ProgressPrinter(spec.commandLine().getErr(), quiet);
            var result = ctx.engine().run(contract, progress);
            progress.finish();
            return RunPrinter.print(result, spec.commandLine().getOut(), spec.commandLine().getErr());
        }
    }
}
