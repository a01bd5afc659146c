package dev.exportdesk.cli;

import dev.exportdesk.engine.runs.RunResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "run", description = "Export what changed since the last run of CONTRACT (completes an "
        + "interrupted run first). With --due, run every scheduled contract whose time has come (for cron). "
        + "Either way, contracts' alerts are then raised and sent.")
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "CONTRACT", arity = "0..1", description = "Contract name.")
    String contract;

    @Option(names = "--due", description = "Run every contract whose schedule is due (or whose last run is "
            + "unfinished).")
    boolean due;

    @Option(names = {"-q", "--quiet"}, description = "No progress line.")
    boolean quiet;

    /** {@code run --due} applies the contracts' retention after their runs (docs/contracts.md). */
    private int prune(CliContext ctx) {
        java.io.PrintWriter out = spec.commandLine().getOut();
        for (String c : ctx.due().prunes()) {
            try {
                var done = ctx.services().retention().prune(java.util.Optional.of(c));
                for (var r : done.runs()) {
                    out.println("pruned " + c + " run " + r.run().sequence() + ": " + r.deleted().size()
                            + " file(s) deleted");
                }
                if (!done.local().isEmpty()) {
                    out.println("retention of " + c + ": " + done.local().size() + " workspace folder(s) removed");
                }
            } catch (dev.exportdesk.engine.EngineException e) {
                spec.commandLine().getErr().println("retention of " + c + " failed: "
                        + dev.exportdesk.text.Text.safe(e.getMessage()));
                return Cli.exitCode(e);
            }
        }
        return ExitCodes.OK;
    }

    @Override
    public Integer call() {
        if (due == (contract != null)) {
            throw new ParameterException(spec.commandLine(), "give either CONTRACT or --due");
        }
        ExportDeskCommand root = (ExportDeskCommand) spec.root().userObject();
        try (CliContext ctx = root.open()) {
            ProgressPrinter progress = new ProgressPrinter(spec.commandLine().getErr(), quiet);
            List<String> contracts = due ? ctx.due().runs() : List.of(contract);
            if (contracts.isEmpty()) {
                spec.commandLine().getOut().println("nothing is due");
            }
            List<RunResult> results = new ArrayList<>();
            for (String c : contracts) {
                results.add(ctx.engine().run(c, progress));
                progress.finish();
            }
            int code = ExitCodes.OK;
            for (RunResult r : results) {
                code = Math.max(code, RunPrinter.print(r, spec.commandLine().getOut(), spec.commandLine().getErr()));
            }
            if (due) {
                code = Math.max(code, prune(ctx));
            }
            // after the runs' own outcome is printed: alerts add to it, never replace it or change the exit code
            AlertsCommand.tick(ctx, spec.commandLine().getErr());
            return code;
        }
    }
}
