package dev.exportdesk.cli;

import dev.exportdesk.engine.VerifyService;
import dev.exportdesk.verify.Check;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "verify", description = "Re-hash a delivered run's files against its manifest and name any file "
        + "that does not match.")
final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN", description = "Run id, unique id prefix, or contract name (its latest run).")
    String run;

    @Override
    public Integer call() {
        ExportDeskCommand root = (ExportDeskCommand) spec.root().userObject();
        try (CliContext ctx = root.open()) {
            VerifyService.Outcome outcome = ctx.verify().verify(run);
            PrintWriter out = spec.commandLine().getOut();
            out.printf("%s run #%d (%s), %s:%n", outcome.run().contractName(), outcome.run().sequence(),
                    Format.shortId(outcome.run().id()), outcome.report().runDirectory());
            for (Check c : outcome.report().checks()) {
                out.printf("  %s  %s: %s%n", c.ok() ? "PASS" : "FAIL", c.subject(), c.detail());
            }
            if (outcome.report().ok()) {
                out.println("verified: every file matches the manifest");
                return ExitCodes.OK;
            }
            spec.commandLine().getErr().println("verification FAILED: " + outcome.report().failures().size()
                    + " problem(s): " + String.join(", ", outcome.report().failures().stream().map(Check::subject)
                    .toList()));
            return ExitCodes.VERIFY_FAILED;
        }
    }
}
