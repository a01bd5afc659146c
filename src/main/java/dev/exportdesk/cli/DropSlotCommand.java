package dev.exportdesk.cli;

import dev.exportdesk.engine.runs.SlotRetirement;
import dev.exportdesk.text.Text;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "drop-slot", description = {"Drop the replication slot CONTRACT no longer streams from (it was "
        + "switched to cursor capture, or is paused for good): a slot nobody reads makes the source keep all WAL "
        + "after it. A contract that still streams must be paused first, and its next run then needs `resync`. "
        + "Audited contract.drop-slot (docs/cdc.md)."})
final class DropSlotCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "CONTRACT", description = "The contract's name.")
    String contract;

    @Option(names = "--dry-run", description = "Say what would be dropped, and change nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        try (CliContext ctx = ContractCommand.root(spec).open()) {
            SlotRetirement.Plan plan = dryRun ? ctx.engine().dropSlotPlan(contract) : ctx.engine().dropSlot(contract);
            spec.commandLine().getOut().println(Text.safe(plan.describe()));
            if (dryRun) {
                spec.commandLine().getOut().println("dry run: nothing changed");
            }
            return ExitCodes.OK;
        }
    }
}
