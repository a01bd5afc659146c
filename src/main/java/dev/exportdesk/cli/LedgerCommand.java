package dev.exportdesk.cli;

import dev.exportdesk.verify.Check;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "ledger", description = "The workspace's tamper-evident ledger (docs/ledger.md).",
        subcommands = {LedgerCommand.Verify.class, LedgerCommand.PublicKey.class})
final class LedgerCommand {

    @Command(name = "verify", description = "Check the ledger rows, the ledger file, every signed checkpoint and "
            + "every leaf against its chunk; name whatever was changed, reordered or dropped.")
    static final class Verify implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            ExportDeskCommand root = (ExportDeskCommand) spec.root().userObject();
            try (CliContext ctx = root.open()) {
                List<Check> checks = ctx.ledgerAudit().audit();
                PrintWriter out = spec.commandLine().getOut();
                for (Check c : checks) {
                    out.printf("  %s  %s: %s%n", c.ok() ? "PASS" : "FAIL", c.subject(), c.detail());
                }
                if (checks.stream().allMatch(Check::ok)) {
                    out.println("ledger intact");
                    return ExitCodes.OK;
                }
                spec.commandLine().getErr().println("ledger verification FAILED");
                return ExitCodes.VERIFY_FAILED;
            }
        }
    }

    @Command(name = "public-key", description = "Print the verifier key partners use with verify-delivery.")
    static final class PublicKey implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            ExportDeskCommand root = (ExportDeskCommand) spec.root().userObject();
            try (CliContext ctx = root.open()) {
                spec.commandLine().getOut().println(ctx.ledgerAudit().verifierKey());
                return ExitCodes.OK;
            }
        }
    }
}
