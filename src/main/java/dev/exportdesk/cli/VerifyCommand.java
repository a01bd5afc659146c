package dev.exportdesk.cli;

import dev.exportdesk.engine.verification.ReconcileService;
import dev.exportdesk.engine.verification.VerifyService;
import dev.exportdesk.verify.Check;
import dev.exportdesk.verify.ChunkClass;
import dev.exportdesk.verify.RowDiff;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "verify", description = {"Re-hash delivered runs against their manifests and name any file that does "
        + "not match.", "With --deep, also re-read every chunk's range from the source and compare row counts and "
        + "digests, naming the exact keys that changed, disappeared or arrived late (docs/verification.md)."})
final class VerifyCommand implements Callable<Integer> {
    private static final int KEYS_SHOWN = 20;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "CONTRACT|RUN", arity = "0..1", description = "A contract name (all its completed "
            + "runs), a run id or a unique id prefix.")
    String run;

    @Option(names = "--due", description = "Verify every contract whose schedule.verify_interval has passed "
            + "(at its schedule.verify_level); for cron or a scheduler.")
    boolean due;

    @Option(names = "--deep", description = "Add source- and schema-level reconciliation per chunk.")
    boolean deep;

    @Override
    public Integer call() {
        ExportDeskCommand root = (ExportDeskCommand) spec.root().userObject();
        try (CliContext ctx = root.open()) {
            if ((run == null) == !due) {
                spec.commandLine().getErr().println("error: give CONTRACT|RUN or --due");
                return ExitCodes.USAGE;
            }
            List<VerifyService.DeepOutcome> outcomes = due ? ctx.verify().verifyDue() : ctx.verify().verify(run, deep);
            PrintWriter out = spec.commandLine().getOut();
            int failed = 0;
            List<String> problems = new java.util.ArrayList<>();
            for (VerifyService.DeepOutcome o : outcomes) {
                out.printf("%s run #%d (%s), %s:%n", o.run().contractName(), o.run().sequence(),
                        Format.shortId(o.run().id()), o.report().runDirectory());
                for (Check c : o.report().checks()) {
                    out.printf("  %s  %s: %s%n", c.ok() ? "PASS" : "FAIL", c.subject(), c.detail());
                }
                if (o.deep() != null) {
                    printDeep(out, o.deep());
                }
                failed += o.ok() ? 0 : 1;
                o.report().failures().forEach(c -> problems.add(c.subject()));
                if (o.deep() != null) {
                    if (!"match".equals(o.deep().schemaOutcome())) {
                        problems.add("schema");
                    }
                    o.deep().chunks().stream().filter(c -> !c.result().classification().passes())
                            .forEach(c -> problems.add(c.chunk().fileName() + " (source)"));
                }
            }
            if (failed == 0) {
                out.println(deep ? "verified: every file matches its manifest and every chunk matches the source"
                        : "verified: every file matches the manifest");
                return ExitCodes.OK;
            }
            spec.commandLine().getErr().println("verification FAILED for " + failed + " of " + outcomes.size()
                    + " run(s): " + problems.size() + " problem(s): " + String.join(", ", problems));
            return ExitCodes.VERIFY_FAILED;
        }
    }

    private static void printDeep(PrintWriter out, ReconcileService.RunReconciliation deep) {
        out.printf("  %s  schema: %s%n", "match".equals(deep.schemaOutcome()) ? "PASS" : "FAIL", deep.schemaOutcome());
        for (ReconcileService.ChunkOutcome c : deep.chunks()) {
            ChunkClass cls = c.result().classification();
            out.printf("  %s  %s (source): %s — %s%n", cls.passes() ? "PASS" : "FAIL", c.chunk().fileName(),
                    cls.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '), c.result().detail());
            List<RowDiff> diffs = c.result().diffs();
            for (RowDiff d : diffs.subList(0, Math.min(KEYS_SHOWN, diffs.size()))) {
                out.printf("        %-8s key %s%s%n", d.kind().name().toLowerCase(java.util.Locale.ROOT), d.key(),
                        d.open() ? "" : " (carried by " + d.carriedBy() + ")");
            }
            if (diffs.size() > KEYS_SHOWN) {
                out.printf("        … and %d more (see `exportdesk report`)%n", diffs.size() - KEYS_SHOWN);
            }
        }
    }
}
