package dev.exportdesk.cli;

import dev.exportdesk.engine.retention.PrunePlan;
import dev.exportdesk.engine.retention.PruneService;
import dev.exportdesk.store.RunPrune;
import dev.exportdesk.text.Text;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "prune", description = {"Apply the contracts' retention (docs/contracts.md): remove delivered runs "
        + "older than retention.delivered from their destination (only the files the engine delivered, never "
        + "the newest completed run, never a run whose receipt has not accepted it when receipts are expected), "
        + "and retained copies and staging folders older than retention.retained_copies and retention.staging. "
        + "Every pruned run is recorded in the ledger with the SHA-256 of each file, and in the audit log. "
        + "`run --due` prunes too; run this from cron in team mode."})
final class PruneCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "CONTRACT", arity = "0..1", description = "Only this contract (default: every contract).")
    String contract;

    @Option(names = "--dry-run", description = "List exactly what would be removed, and change nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        ExportDeskCommand root = (ExportDeskCommand) spec.root().userObject();
        PrintWriter out = spec.commandLine().getOut();
        try (CliContext ctx = root.open()) {
            PruneService retention = ctx.services().retention();
            if (dryRun) {
                PrunePlan plan = retention.plan(Optional.ofNullable(contract));
                print(plan, out);
                out.println("dry run: nothing changed");
                return ExitCodes.OK;
            }
            PruneService.Outcome done = retention.prune(Optional.ofNullable(contract));
            for (PruneService.RunResult r : done.runs()) {
                out.println("pruned " + Text.safe(r.run().contractName()) + " run " + r.run().sequence() + " from "
                        + Text.safe(r.runDirectory()) + ": " + r.deleted().size() + " file(s) deleted"
                        + (r.absent().isEmpty() ? "" : ", " + r.absent().size() + " already gone")
                        + (r.othersLeft() == 0 ? "" : "; " + r.othersLeft() + " other file(s) left untouched"));
            }
            for (PrunePlan.LocalFolder f : done.local()) {
                out.println("removed " + kind(f.kind()) + " of " + Text.safe(f.contract()) + " run " + f.runId());
            }
            kept(done.plan(), out);
            if (done.runs().isEmpty() && done.local().isEmpty()) {
                out.println("nothing to prune");
            }
            return ExitCodes.OK;
        }
    }

    static void print(PrunePlan plan, PrintWriter out) {
        for (PrunePlan.DeliveredRun r : plan.runs()) {
            out.println("would prune " + Text.safe(r.run().contractName()) + " run " + r.run().sequence() + " from "
                    + Text.safe(r.runDirectory()) + ": " + r.files().size() + " file(s)");
            for (RunPrune.PrunedFile f : r.files()) {
                out.println("  " + f.sha256() + "  " + Text.safe(f.name()));
            }
        }
        for (PrunePlan.LocalFolder f : plan.local()) {
            out.println("would remove " + kind(f.kind()) + " of " + Text.safe(f.contract()) + " run " + f.runId());
        }
        kept(plan, out);
        if (plan.isEmpty()) {
            out.println("nothing to prune");
        }
    }

    private static void kept(PrunePlan plan, PrintWriter out) {
        for (PrunePlan.Kept k : plan.kept()) {
            out.println("kept " + Text.safe(k.contract()) + " run " + k.sequence() + ": " + k.reason());
        }
    }

    private static String kind(PrunePlan.LocalKind kind) {
        return kind.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
